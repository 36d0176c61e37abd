import Foundation

/// Writes `bytes` over a file at `offset`, in place: same inode, new ctime,
/// as an editor that saves without renaming would. Tests of what notices an
/// edit need exactly that kind of write.
public func overwrite(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
    guard let handle = FileHandle(forUpdatingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data(bytes))
}
