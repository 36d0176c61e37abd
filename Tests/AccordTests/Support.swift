import Foundation
import TestSupport
import Testing

/// Runs the real `accord` binary, as a person or a script would.
struct Accord {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary SwiftPM built beside this test bundle.
    static let binary: URL = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = here.deletingLastPathComponent()
        // The bundle may be a directory (…/AccordPackageTests.xctest/…) on some platforms.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("accord")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return here.deletingLastPathComponent().appendingPathComponent("accord")
    }()

    let temporary: TemporaryDirectory
    var directory: URL { temporary.url }
    var clock = "2026-01-05T09:00:00Z"

    /// A fresh directory with an initialised ledger at `ledger.jsonl`.
    static func withLedger(initialise: Bool = true) throws -> Accord {
        let temporary = try TemporaryDirectory("accord-tests")
        let accord = Accord(temporary: temporary)
        if initialise {
            let result = try accord.run(["init"])
            #expect(result.status == 0, "init failed: \(result.stderr)")
        }
        return accord
    }

    var ledger: URL { directory.appendingPathComponent("ledger.jsonl") }

    func ledgerBytes() throws -> Data { try Data(contentsOf: ledger) }

    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        try run(arguments, stdinData: stdin.map { Data($0.utf8) }, environment: extra)
    }

    func run(_ arguments: [String], stdinData: Data?, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Accord.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ACCORD_CLOCK"] = clock
        environment.removeValue(forKey: "ACCORD_LEDGER")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Feed and drain on other threads so a large input or output cannot deadlock on a full pipe.
        let writer = Thread {
            if let stdinData { input.fileHandleForWriting.write(stdinData) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = ErrorBox()
        let errorReader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// Appends events (JSON Lines) and expects success.
    @discardableResult
    func append(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let result = try run(["append", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "append failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}
