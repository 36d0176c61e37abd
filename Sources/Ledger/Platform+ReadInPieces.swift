#if canImport(Glibc)
import Glibc
#endif

extension Platform {
    /// How many pieces a large file is read in, each on a core of its own.
    static var readPieces: Int { 2 }

    /// `count` bytes of a regular file from offset `start`, read in pieces at
    /// once, each into its place in one buffer. Reading a 21 MB batch on one
    /// core was most of the 33 ms before its decoding could start, with the
    /// other core idle: the kernel clearing each new page and copying the
    /// file into it (perf). Nil if the file ended before `count` bytes (it
    /// shrank): the caller reads it again as it is.
    static func readInPieces(_ fd: Int32, from start: Int, count: Int, path: String) throws(SystemError) -> [UInt8]? {
        precondition(start >= 0 && count > 0, "a piece of a file that is there")
        let pieces = min(readPieces, count)
        var outcomes = [Result<Bool, SystemError>](repeating: .success(false), count: pieces)
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            outcomes.withUnsafeMutableBufferPointer { outcomes in
                inParallel(pieces) { piece in
                    let (lower, upper) = (count * piece / pieces, count * (piece + 1) / pieces)
                    let place = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[lower..<upper])
                    outcomes[piece] = Result { () throws(SystemError) -> Bool in
                        try pread(fd, into: place, offset: start + lower, path: path) == place.count
                    }
                }
            }
            // Every byte is read, or none is kept.
            initialized = outcomes.allSatisfy { (try? $0.get()) == true } ? count : 0
        }
        for outcome in outcomes { _ = try outcome.get() }
        return bytes.count == count ? bytes : nil
    }
}
