// Decimal and hexadecimal text. Parsers accept untrusted input and return nil instead of trapping.

extension UInt256 {
    /// Parses decimal digits only (no sign, no spaces, leading zeros allowed), as in config files and CLI
    /// amounts. Returns `nil` for empty text, any other character, or a value above 2²⁵⁶ − 1.
    public init?(decimal text: String) {
        var value = UInt256.zero
        var chunk: UInt64 = 0  // up to 19 digits, < 10^19 < 2^64
        var chunkDigits = 0
        var any = false
        for c in text.utf8 {
            let digit = c &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            any = true
            chunk = chunk &* 10 &+ UInt64(digit)
            chunkDigits += 1
            if chunkDigits == 19 {
                guard let next = value.multipliedAdding(Self.powerOfTen(19), chunk) else { return nil }
                value = next
                chunk = 0
                chunkDigits = 0
            }
        }
        guard any else { return nil }
        if chunkDigits > 0 {
            guard let next = value.multipliedAdding(Self.powerOfTen(chunkDigits), chunk) else { return nil }
            value = next
        }
        self = value
    }

    /// Parses hexadecimal with an optional `0x`/`0X` prefix, 1…64 digits, either case (leading zeros allowed,
    /// so both JSON-RPC quantities and 32-byte data words are accepted). Returns `nil` on anything else.
    public init?(hex text: String) {
        var digits = Substring(text).utf8[...]
        if digits.count >= 2, digits.first == UInt8(ascii: "0"),
           let x = digits.dropFirst().first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            digits = digits.dropFirst(2)
        }
        let count = digits.count
        guard count >= 1, count <= 64 else { return nil }
        var result = UInt256.zero
        var position = count  // nibble position from the least significant end, plus one
        for c in digits {
            guard let nibble = Self.hexValue(c) else { return nil }
            position -= 1
            let limbIndex = position >> 4
            result.setLimb(limbIndex, result.limb(limbIndex) | UInt64(nibble) &<< UInt64((position & 15) << 2))
        }
        self = result
    }

    /// Decimal digits without leading zeros ("0" for zero), for logs, CLI output and JSON numbers.
    public var decimalString: String {
        if isZero { return "0" }
        let chunkDivisor = Self.powerOfTen(19)
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 78)  // 2^256 - 1 has 78 digits
        var position = digits.count
        var rest = self
        while !rest.isZero {
            let (q, r) = rest.quotientAndRemainder(dividingByLimb: chunkDivisor)
            rest = q
            var chunk = r
            // Write all 19 digits of an inner chunk (zeros included); stop early on the leading one.
            for _ in 0..<19 {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: chunk % 10)
                chunk /= 10
                if chunk == 0 && rest.isZero { break }
            }
        }
        return String(decoding: digits[position...], as: UTF8.self)
    }

    /// Minimal lowercase `0x…` form ("0x0" for zero, no leading zeros): the JSON-RPC QUANTITY encoding.
    public var hexString: String {
        if isZero { return "0x0" }
        let nibbles = (significantBitCount + 3) >> 2
        let alphabet: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: nibbles + 2) { buffer in
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "x")
            alphabet.withUTF8Buffer { table in
                for i in 0..<nibbles {
                    let nibble = limb(i >> 4) &>> UInt64((i & 15) << 2) & 0xF
                    buffer[nibbles + 1 - i] = table[Int(nibble)]
                }
            }
            return nibbles + 2
        }
    }

    /// `self * multiplier + addend`, or `nil` on overflow.
    private func multipliedAdding(_ multiplier: UInt64, _ addend: UInt64) -> UInt256? {
        let (high, low) = multipliedFullWidth(byLimb: multiplier)
        guard high == 0 else { return nil }
        return low.checkedAdd(UInt256(addend))
    }

    /// 10^k for 0 <= k <= 19.
    private static func powerOfTen(_ k: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<k { p &*= 10 }
        return p
    }

    /// The value of one ASCII hex digit, or `nil`.
    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
