/// What `fstat` says of a file that no program can set back: which file it is
/// (device and inode), its size, and its modification and change times.
///
/// The change time (ctime) is the kernel's: every write, truncation, rename
/// over it or `touch` moves it forward, and no system call sets it to a chosen
/// value. Two equal stamps therefore mean the file was not written between
/// them. Since Linux 6.13 (multigrain timestamps, on ext4, xfs, btrfs and
/// tmpfs) a write after a `stat` always gets a later ctime; on older kernels
/// a write in the same clock tick (a few milliseconds) as the stamp was taken
/// could keep it, which is why `accord verify` never relies on a stamp.
public struct FileStamp: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64
}
