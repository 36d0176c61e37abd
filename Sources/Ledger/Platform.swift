import Dispatch
import Events

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every system call the ledger makes, each wrapped once: EINTR retried,
/// short reads and writes completed, failures turned into `SystemError`
/// values that say which call failed on which path.
public enum Platform {
    public struct SystemError: Error, Sendable, CustomStringConvertible {
        public var operation: String
        public var path: String
        public var code: Int32

        public var reason: String { String(cString: strerror(code)) }
        public var description: String { "\(operation) \(path): \(reason)" }
        public var isFileTooLargeOrDiskFull: Bool { code == EFBIG || code == ENOSPC || code == EDQUOT }
    }

    static func fail(_ operation: String, _ path: String) -> SystemError {
        SystemError(operation: operation, path: path, code: errno)
    }

    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw fail("open", path) }
        }
    }

    public static func close(_ fd: Int32) {
        // close(2) must not be retried on EINTR on Linux: the descriptor is already gone.
        _ = Glibc.close(fd)
    }

    /// Reads up to `count` bytes at `offset`; returns fewer only at end of file.
    public static func pread(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String
    ) throws(SystemError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw fail("read", path)
            }
        }
        return done
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and EINTR.
    public static func pwrite(_ fd: Int32, _ bytes: [UInt8], offset: Int, path: String) throws(SystemError) {
        let (_, failure) = bytes.withUnsafeBytes { pwriteUntilStopped(fd, $0, offset: offset, stoppingWhereRefused: false) }
        if let failure { throw SystemError(operation: "write", path: path, code: failure) }
    }

    static func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String) throws(SystemError) {
        let (_, failure) = pwriteUntilStopped(fd, bytes, offset: offset, stoppingWhereRefused: false)
        if let failure { throw SystemError(operation: "write", path: path, code: failure) }
    }

    /// Writes `bytes` at `offset`, retrying short writes and EINTR, until all
    /// are written or a call fails (its errno); with `stoppingWhereRefused`,
    /// a refusal of direct I/O (EINVAL) stops it without a failure.
    private static func pwriteUntilStopped(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, stoppingWhereRefused: Bool
    ) -> (written: Int, failure: Int32?) {
        var done = 0
        // Bounded: each turn writes bytes or leaves the loop, but for EINTR.
        while done < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && errno == EINVAL && stoppingWhereRefused {
                break
            } else {
                // A write of nothing that says no more is a failure the kernel gave no number for.
                return (done, n == 0 ? EIO : errno)
            }
        }
        return (done, nil)
    }

    /// `pread` into a whole array. The standard library's `withUnsafe…Bytes`
    /// only rethrows untyped errors, so the typed error is carried out in a Result.
    public static func pread(_ fd: Int32, into bytes: inout [UInt8], offset: Int, path: String) throws(SystemError) -> Int {
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemError) -> Int in try pread(fd, into: buffer, offset: offset, path: path) }
        }
        return try result.get()
    }

    /// `writeAll` of an array slice; see `pread(_:into:offset:path:)` for why a Result.
    public static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(SystemError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try writeAll(fd, buffer, path: path) }
        }
        try result.get()
    }

    /// Writes every byte or throws; a partial write followed by an error is an error.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n >= 0 {
                done += n
            } else if errno != EINTR {
                throw fail("write", path)
            }
        }
    }

    /// O_DIRECT, which Swift's Glibc module does not export (C declares it
    /// only under _GNU_SOURCE); nil where its value is not known here, and
    /// then nothing is written around the page cache.
    static let directFlag: Int32? = {
        #if os(Linux) && (arch(x86_64) || arch(i386))
        return 0o40000
        #elseif os(Linux) && (arch(arm64) || arch(arm))
        return 0o200000
        #else
        return nil
        #endif
    }()

    /// A second descriptor on `path` whose reads and writes go around the
    /// page cache; nil where the platform or the file system has none, for
    /// the caller to go through the cache. Not opened for appending: a
    /// pwrite on such a descriptor ignores its offset.
    /// It must be the file `fd` is open on: a file renamed over `path` since is not.
    static func openDirect(_ path: String, sameFileAs fd: Int32) -> Int32? {
        guard let flag = directFlag, let direct = try? open(path, flags: O_RDWR | flag) else { return nil }
        let same = { (a: FileStamp?, b: FileStamp?) in a != nil && a?.device == b?.device && a?.inode == b?.inode }
        // A wrong value for the flag would be another flag; the kernel reports what it took.
        guard fcntl(direct, F_GETFL) & flag != 0,
            same(try? fileStamp(direct, path: path), try? fileStamp(fd, path: path))
        else {
            close(direct)
            return nil
        }
        return direct
    }

    /// Writes as much of `bytes` at `offset` through a direct descriptor as
    /// the file system takes, and says how much: it stops early, without an
    /// error, where the file system refuses direct I/O (EINVAL), for the
    /// caller to write the rest through the cache.
    static func pwriteDirect(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
        throws(SystemError) -> Int
    {
        let (written, failure) = pwriteUntilStopped(fd, bytes, offset: offset, stoppingWhereRefused: true)
        if let failure { throw SystemError(operation: "write", path: path, code: failure) }
        return written
    }

    public static func fsync(_ fd: Int32, path: String) throws(SystemError) {
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw fail("fsync", path) }
        }
    }

    /// The file's data and what reading it back needs (its size), not its times.
    static func fdatasync(_ fd: Int32, path: String) throws(SystemError) {
        while Glibc.fdatasync(fd) != 0 {
            if errno != EINTR { throw fail("fdatasync", path) }
        }
    }

    /// Makes a newly created or renamed entry in `directory` durable.
    public static func fsyncDirectory(_ directory: String) throws(SystemError) {
        let fd = try open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: directory)
    }

    public static func ftruncate(_ fd: Int32, to size: Int, path: String) throws(SystemError) {
        while Glibc.ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw fail("truncate", path) }
        }
    }

    public enum LockKind { case shared, exclusive }

    /// Blocks until the whole-file advisory lock is held; released by `unlock` or close.
    public static func lock(_ fd: Int32, _ kind: LockKind, path: String) throws(SystemError) {
        while flock(fd, kind == .exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno != EINTR { throw fail("lock", path) }
        }
    }

    public static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    public static func fileSize(_ fd: Int32, path: String) throws(SystemError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("stat", path) }
        return Int(info.st_size)
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func rename(_ from: String, _ to: String) throws(SystemError) {
        guard Glibc.rename(from, to) == 0 else { throw fail("rename", from) }
    }

    /// Write-then-rename, so a crash leaves the old file or the new one, never
    /// half of one; with `sync`, the new one is on disk before it takes the name.
    public static func replaceFile(
        _ path: String, with bytes: [UInt8], sync: Bool, temporarySuffix: String = ".tmp"
    ) throws(SystemError) {
        let temporary = path + temporarySuffix
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        var failure: SystemError?
        do {
            try writeAll(fd, bytes[...], path: temporary)
            if sync { try fsync(fd, path: temporary) }
        } catch {
            failure = error
        }
        close(fd)
        if failure == nil {
            do { try rename(temporary, path) } catch { failure = error }
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Creates a directory; an existing one is fine.
    public static func makeDirectory(_ path: String) throws(SystemError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw fail("mkdir", path) }
    }

    public static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }

    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    public static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(secondsSinceEpoch: Int(spec.tv_sec))
    }

    /// A write past `ulimit -f` must fail with EFBIG so the append can roll
    /// back, not kill the process half-way through a record.
    public static func ignoreFileSizeSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    public static func writeStandard(_ fd: Int32, _ text: String) { writeStandard(fd, Array(text.utf8)) }

    public static func writeStandard(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n > 0 { done += n } else if errno != EINTR { return }
            }
        }
    }
}

extension Platform {
    /// A small file beside the ledger (a checkpoint, a note), or nil if it is
    /// missing, unreadable or over a gigabyte: a cache that cannot be read is rebuilt.
    static func readFileIfPresent(_ path: String) -> [UInt8]? {
        guard let fd = try? open(path, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        return (try? readAll(fd: fd, path: path, limit: 1 << 30)) ?? nil
    }

    /// Reads a whole file (or standard input for fd 0) up to `limit` bytes.
    /// A regular file of at least `piecesFrom` bytes is read in two pieces
    /// at once (`readInPieces`).
    public static func readAll(fd: Int32, path: String, limit: Int, piecesFrom: Int = 8 << 20) throws(SystemError)
        -> [UInt8]?
    {
        var result: [UInt8] = []
        // A file says how big it is: read straight into a buffer of that size
        // (and a byte more, to notice a file that grew), with no chunk to fill
        // and copy from. A pipe, or a file that grew, goes on as it comes.
        var info = stat()
        let isFile = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_size > 0
        if isFile, case let start = Int(lseek(fd, 0, SEEK_CUR)), start >= 0, case let left = Int(info.st_size) - start,
            left >= piecesFrom, left <= limit, let read = try readInPieces(fd, from: start, count: left, path: path)
        {
            // On from the end of what was read, as below: a file that grew goes on in chunks.
            guard lseek(fd, off_t(start + left), SEEK_SET) >= 0 else { throw fail("seek", path) }
            result = read
        } else if isFile {
            let expected = min(Int(info.st_size), limit) + 1
            var code: Int32 = 0
            result = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n > 0 { count += n } else if n == 0 { return } else if errno != EINTR {
                        code = errno
                        return
                    }
                }
            }
            if code != 0 { throw SystemError(operation: "read", path: path, code: code) }
            if result.count > limit { return nil }
            if result.count < expected { return result }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n > 0 {
                result += chunk[0..<n]
                if result.count > limit { return nil }
            } else if n == 0 {
                return result
            } else if errno != EINTR {
                throw fail("read", path)
            }
        }
    }
}

extension Platform {
    /// The identity and change times of an open file.
    public static func fileStamp(_ fd: Int32, path: String) throws(SystemError) -> FileStamp {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("stat", path) }
        return FileStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
            modifiedNanoseconds: nanoseconds(info.st_mtim), changedNanoseconds: nanoseconds(info.st_ctim))
    }

    private static func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }
}

extension Platform {
    /// Cores this process may use, from 1 to 8 (more would not pay for the hand-offs).
    package static let processorCount = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// Runs `work(0)`, `work(1)`, … `work(count - 1)` on as many cores as
    /// there are, returning when all are done; one iteration runs inline.
    /// The caller promises that iterations touch disjoint memory, which is
    /// what lets a non-`Sendable` closure cross to Dispatch's threads.
    package static func inParallel(_ count: Int, _ work: (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { work(0) }
            return
        }
        withoutActuallyEscaping(work) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }

    /// Runs `work` over `0..<count` cut into consecutive ranges of at most
    /// `chunk`, on as many cores as there are; the same promise as above.
    package static func inParallel(_ count: Int, chunk: Int, _ work: (Range<Int>) -> Void) {
        inParallel((count + chunk - 1) / chunk) { index in work(index * chunk..<min(count, (index + 1) * chunk)) }
    }

    private struct UncheckedSendable<Value>: @unchecked Sendable { let value: Value }

    /// Runs `body` on a thread of its own, detached, for work that waits on
    /// other work. Dispatch keeps about one worker per core: a worker
    /// blocked waiting holds one, and on one core the job it waits for
    /// queued behind it until Dispatch added a thread, about a second later
    /// (found by review, with the process pinned to one CPU).
    package static func startThread(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(started == 0, "a thread could not be started (\(started))")
        pthread_detach(thread)
    }

    private final class ThreadBody: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

extension Platform {
    /// The names in a directory (not `.` or `..`), or none if it cannot be read.
    static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// When a file was last modified, in nanoseconds since 1970, or nil if it is gone.
    static func modifiedNanoseconds(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return nanoseconds(info.st_mtim)
    }
}

extension Platform {
    /// Keeps `value` (and all it refers to) until the process exits, never
    /// freeing it: for a command that exits straight after, freeing a large
    /// batch object by object is work the exit does at once (compilers skip it
    /// the same way, e.g. clang's `-disable-free`).
    package static func keepUntilExit<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}

extension Platform {
    /// A value behind a pthread mutex. Synchronization's `Mutex` locks through
    /// calls the Thread Sanitizer cannot see, so it reported every handover
    /// through one as a race (a three-line program of two threads and a
    /// `Mutex` does the same); a pthread mutex it follows.
    package final class Locked<Value>: @unchecked Sendable {
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>
        private var value: Value

        package init(_ value: Value) {
            self.value = value
            mutex = .allocate(capacity: 1)
            mutex.initialize(to: pthread_mutex_t())
            precondition(pthread_mutex_init(mutex, nil) == 0, "a mutex could not be made")
        }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deinitialize(count: 1)
            mutex.deallocate()
        }

        package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            precondition(pthread_mutex_lock(mutex) == 0, "a mutex could not be locked")
            defer { pthread_mutex_unlock(mutex) }
            return body(&value)
        }
    }
}
