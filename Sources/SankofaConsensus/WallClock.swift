#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock engines check header timestamps against, in whole seconds since the Unix epoch.
public enum WallClock {
    /// Read with `clock_gettime(CLOCK_REALTIME)`, not `time()`, whose coarse clock can lag by a tick and make a block
    /// sealed at a second boundary look early.
    @Sendable public static func unixSeconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(clamping: now.tv_sec)
    }
}
