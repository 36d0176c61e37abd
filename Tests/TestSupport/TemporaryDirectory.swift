import Foundation

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when the last value holding it goes away, so a test run
/// leaves no ledgers (and their checkpoint shards) behind.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
