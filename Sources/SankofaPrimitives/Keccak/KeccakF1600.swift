// Keccak-f[1600] permutation. The round body is mechanically generated (lane
// naming, rho offsets and the complemented-lane chi rewrites); edit with care
// and rerun the XKCP intermediate-value test.

/// Keccak-f[1600] state: 25 little-endian lanes, lane (x, y) at index x + 5*y.
typealias KeccakState = (
    UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64
)

@inline(__always)
private func keccakRotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
    (x &<< n) | (x &>> (64 &- n))
}

/// Round constants RC[i] for the iota step.
private let keccakRoundConstants: [UInt64] = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]

/// Keccak-f[1600]: 24 rounds of theta, rho, pi, chi, iota, applied in place.
///
/// Lanes live in locals (`aXY` = lane (x, y)); each loop iteration runs two
/// rounds, `a` -> `e` -> `a`, so pi needs no lane moves. rho+pi+chi are done one
/// output plane at a time (5 temporaries live). Lane complementing (XKCP's
/// "bebigokimisa"): lanes (1,0) (2,0) (3,1) (2,2) (2,3) (0,4) are kept inverted
/// inside the permutation, which turns 20 of chi's 25 NOTs per round into
/// AND/OR rewrites (x86-64 baseline has no ANDN). They are inverted on entry
/// and exit, so callers always see the plain state.
func keccakF1600(_ s: inout KeccakState) {
    var a00 = s.0; var a10 = s.1; var a20 = s.2; var a30 = s.3; var a40 = s.4
    var a01 = s.5; var a11 = s.6; var a21 = s.7; var a31 = s.8; var a41 = s.9
    var a02 = s.10; var a12 = s.11; var a22 = s.12; var a32 = s.13; var a42 = s.14
    var a03 = s.15; var a13 = s.16; var a23 = s.17; var a33 = s.18; var a43 = s.19
    var a04 = s.20; var a14 = s.21; var a24 = s.22; var a34 = s.23; var a44 = s.24
    a04 = ~a04; a10 = ~a10; a20 = ~a20; a22 = ~a22; a23 = ~a23; a31 = ~a31
    keccakRoundConstants.withUnsafeBufferPointer { rc in
        var i = 0
        while i < 24 {
            let e00: UInt64; let e10: UInt64; let e20: UInt64; let e30: UInt64; let e40: UInt64
            let e01: UInt64; let e11: UInt64; let e21: UInt64; let e31: UInt64; let e41: UInt64
            let e02: UInt64; let e12: UInt64; let e22: UInt64; let e32: UInt64; let e42: UInt64
            let e03: UInt64; let e13: UInt64; let e23: UInt64; let e33: UInt64; let e43: UInt64
            let e04: UInt64; let e14: UInt64; let e24: UInt64; let e34: UInt64; let e44: UInt64
            do {
                let c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04
                let c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14
                let c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24
                let c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34
                let c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44
                let d0 = c4 ^ keccakRotl(c1, 1)
                let d1 = c0 ^ keccakRotl(c2, 1)
                let d2 = c1 ^ keccakRotl(c3, 1)
                let d3 = c2 ^ keccakRotl(c4, 1)
                let d4 = c3 ^ keccakRotl(c0, 1)
                do {
                    let b0 = a00 ^ d0; let b1 = keccakRotl(a11 ^ d1, 44); let b2 = keccakRotl(a22 ^ d2, 43)
                    let b3 = keccakRotl(a33 ^ d3, 21); let b4 = keccakRotl(a44 ^ d4, 14)
                    let n2 = ~b2
                    e00 = b0 ^ (b1 | b2) ^ rc[i]
                    e10 = b1 ^ (n2 | b3)
                    e20 = b2 ^ (b3 & b4)
                    e30 = b3 ^ (b4 | b0)
                    e40 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(a30 ^ d3, 28); let b1 = keccakRotl(a41 ^ d4, 20); let b2 = keccakRotl(a02 ^ d0, 3)
                    let b3 = keccakRotl(a13 ^ d1, 45); let b4 = keccakRotl(a24 ^ d2, 61)
                    let n4 = ~b4
                    e01 = b0 ^ (b1 | b2)
                    e11 = b1 ^ (b2 & b3)
                    e21 = b2 ^ (b3 | n4)
                    e31 = b3 ^ (b4 | b0)
                    e41 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(a10 ^ d1, 1); let b1 = keccakRotl(a21 ^ d2, 6); let b2 = keccakRotl(a32 ^ d3, 25)
                    let b3 = keccakRotl(a43 ^ d4, 8); let b4 = keccakRotl(a04 ^ d0, 18)
                    let n3 = ~b3
                    e02 = b0 ^ (b1 | b2)
                    e12 = b1 ^ (b2 & b3)
                    e22 = b2 ^ (n3 & b4)
                    e32 = n3 ^ (b4 | b0)
                    e42 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(a40 ^ d4, 27); let b1 = keccakRotl(a01 ^ d0, 36); let b2 = keccakRotl(a12 ^ d1, 10)
                    let b3 = keccakRotl(a23 ^ d2, 15); let b4 = keccakRotl(a34 ^ d3, 56)
                    let n3 = ~b3
                    e03 = b0 ^ (b1 & b2)
                    e13 = b1 ^ (b2 | b3)
                    e23 = b2 ^ (n3 | b4)
                    e33 = n3 ^ (b4 & b0)
                    e43 = b4 ^ (b0 | b1)
                }
                do {
                    let b0 = keccakRotl(a20 ^ d2, 62); let b1 = keccakRotl(a31 ^ d3, 55); let b2 = keccakRotl(a42 ^ d4, 39)
                    let b3 = keccakRotl(a03 ^ d0, 41); let b4 = keccakRotl(a14 ^ d1, 2)
                    let n1 = ~b1
                    e04 = b0 ^ (n1 & b2)
                    e14 = n1 ^ (b2 | b3)
                    e24 = b2 ^ (b3 & b4)
                    e34 = b3 ^ (b4 | b0)
                    e44 = b4 ^ (b0 & b1)
                }
            }
            do {
                let c0 = e00 ^ e01 ^ e02 ^ e03 ^ e04
                let c1 = e10 ^ e11 ^ e12 ^ e13 ^ e14
                let c2 = e20 ^ e21 ^ e22 ^ e23 ^ e24
                let c3 = e30 ^ e31 ^ e32 ^ e33 ^ e34
                let c4 = e40 ^ e41 ^ e42 ^ e43 ^ e44
                let d0 = c4 ^ keccakRotl(c1, 1)
                let d1 = c0 ^ keccakRotl(c2, 1)
                let d2 = c1 ^ keccakRotl(c3, 1)
                let d3 = c2 ^ keccakRotl(c4, 1)
                let d4 = c3 ^ keccakRotl(c0, 1)
                do {
                    let b0 = e00 ^ d0; let b1 = keccakRotl(e11 ^ d1, 44); let b2 = keccakRotl(e22 ^ d2, 43)
                    let b3 = keccakRotl(e33 ^ d3, 21); let b4 = keccakRotl(e44 ^ d4, 14)
                    let n2 = ~b2
                    a00 = b0 ^ (b1 | b2) ^ rc[i &+ 1]
                    a10 = b1 ^ (n2 | b3)
                    a20 = b2 ^ (b3 & b4)
                    a30 = b3 ^ (b4 | b0)
                    a40 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(e30 ^ d3, 28); let b1 = keccakRotl(e41 ^ d4, 20); let b2 = keccakRotl(e02 ^ d0, 3)
                    let b3 = keccakRotl(e13 ^ d1, 45); let b4 = keccakRotl(e24 ^ d2, 61)
                    let n4 = ~b4
                    a01 = b0 ^ (b1 | b2)
                    a11 = b1 ^ (b2 & b3)
                    a21 = b2 ^ (b3 | n4)
                    a31 = b3 ^ (b4 | b0)
                    a41 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(e10 ^ d1, 1); let b1 = keccakRotl(e21 ^ d2, 6); let b2 = keccakRotl(e32 ^ d3, 25)
                    let b3 = keccakRotl(e43 ^ d4, 8); let b4 = keccakRotl(e04 ^ d0, 18)
                    let n3 = ~b3
                    a02 = b0 ^ (b1 | b2)
                    a12 = b1 ^ (b2 & b3)
                    a22 = b2 ^ (n3 & b4)
                    a32 = n3 ^ (b4 | b0)
                    a42 = b4 ^ (b0 & b1)
                }
                do {
                    let b0 = keccakRotl(e40 ^ d4, 27); let b1 = keccakRotl(e01 ^ d0, 36); let b2 = keccakRotl(e12 ^ d1, 10)
                    let b3 = keccakRotl(e23 ^ d2, 15); let b4 = keccakRotl(e34 ^ d3, 56)
                    let n3 = ~b3
                    a03 = b0 ^ (b1 & b2)
                    a13 = b1 ^ (b2 | b3)
                    a23 = b2 ^ (n3 | b4)
                    a33 = n3 ^ (b4 & b0)
                    a43 = b4 ^ (b0 | b1)
                }
                do {
                    let b0 = keccakRotl(e20 ^ d2, 62); let b1 = keccakRotl(e31 ^ d3, 55); let b2 = keccakRotl(e42 ^ d4, 39)
                    let b3 = keccakRotl(e03 ^ d0, 41); let b4 = keccakRotl(e14 ^ d1, 2)
                    let n1 = ~b1
                    a04 = b0 ^ (n1 & b2)
                    a14 = n1 ^ (b2 | b3)
                    a24 = b2 ^ (b3 & b4)
                    a34 = b3 ^ (b4 | b0)
                    a44 = b4 ^ (b0 & b1)
                }
            }
            i &+= 2
        }
    }
    a04 = ~a04; a10 = ~a10; a20 = ~a20; a22 = ~a22; a23 = ~a23; a31 = ~a31
    s = (
        a00, a10, a20, a30, a40,
        a01, a11, a21, a31, a41,
        a02, a12, a22, a32, a42,
        a03, a13, a23, a33, a43,
        a04, a14, a24, a34, a44
    )
}
