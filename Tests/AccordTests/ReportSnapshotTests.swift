import Foundation
@testable import Ledger
import Events
import TestSupport
import Testing

/// `accord splits` starts from the world it saved last time and folds only the
/// records added since, but only while that is sound. To see which world a
/// report started from, each case plants a snapshot whose only difference is a
/// post's title: the title shows in the report exactly when the snapshot was used.
@Suite struct ReportSnapshotTests {
    static let realTitle = "Director of Children's Services (Darlington, Hartlepool, Redcar & Cleveland)"
    static let plantedTitle = "PLANTED TITLE"

    enum Change: String, CaseIterable, CustomStringConvertible, Sendable {
        case nothing, unrelatedAppend, costAppend, retractionAppended, editedAndRestored, otherYear, asOf, knownAt
        case damagedSnapshot, noteRemoved
        var description: String { rawValue }
        var snapshotStillUsed: Bool { [.nothing, .unrelatedAppend, .costAppend].contains(self) }
    }

    static func plant(in accord: Accord) throws {
        let directory = accord.ledger.path + ".checkpoint.d"
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("report-splits") })
        let path = directory + "/" + file
        let saved = try #require(ReportSnapshot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        let text = String(decoding: saved.state, as: UTF8.self)
        #expect(text.contains(Self.realTitle), "the snapshot does not hold the post's title")
        let planted = text.replacingOccurrences(of: Self.realTitle, with: Self.plantedTitle)
        ReportSnapshot(name: saved.name, head: saved.head, state: ArraySlice(planted.utf8)).save(for: accord.ledger.path)
    }

    static func removeSnapshots(of accord: Accord) throws {
        let directory = accord.ledger.path + ".checkpoint.d"
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasPrefix("report-") {
            try FileManager.default.removeItem(atPath: directory + "/" + file)
        }
    }

    static let registerStockton =
        #"{"type":"council.registered","effective":"2013-06-01","by":"stockton/clerk","data":{"council":"stockton","name":"Stockton"}}"#

    @Test(arguments: Change.allCases)
    func aSnapshotIsUsedExactlyWhenItIsSound(_ change: Change) throws {
        let accord = try ReportCommandTests.copy("three-boroughs")
        #expect(try accord.run(["verify"]).status == 0)
        #expect(try accord.run(["splits", "--year", "2013", "--format", "json"]).status == 0)
        try Self.plant(in: accord)

        var arguments = ["splits", "--year", "2013", "--format", "json"]
        let seqs = try accord.ledgerBytes().split(separator: 0x0A).count
        switch change {
        case .nothing:
            break
        case .unrelatedAppend:
            try accord.append([Self.registerStockton])
        case .costAppend:
            // A pay award for the shared adult services post: the snapshot's world must take it.
            try accord.append([
                #"{"type":"post.costed","effective":"2013-10-01","by":"hartlepool/finance","data":{"post":"dass","annualPence":7000000,"onCostBasisPoints":2500}}"#
            ])
        case .retractionAppended:
            try accord.append([Self.registerStockton])
            // A snapshot taken after the registration, planted afresh (the old planted one would carry on).
            try Self.removeSnapshots(of: accord)
            #expect(try accord.run(arguments).status == 0)
            try Self.plant(in: accord)
            try accord.append([
                #"{"type":"record.retracted","effective":"2013-06-02","by":"stockton/clerk","data":{"seq":\#(seqs + 1),"reason":"entered in error"}}"#
            ])
        case .editedAndRestored:
            let original = Array(try accord.ledgerBytes())[100]
            try overwrite(accord.ledger.path, at: 100, with: [original ^ 0x20])
            try overwrite(accord.ledger.path, at: 100, with: [original])
        case .otherYear:
            arguments = ["splits", "--year", "2014", "--format", "json"]
        case .asOf:
            arguments += ["--as-of", "2013-12-31"]
        case .knownAt:
            arguments += ["--known-at", "\(seqs)"]
        case .damagedSnapshot:
            let directory = accord.ledger.path + ".checkpoint.d"
            let file = try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("report-") }!
            let url = URL(fileURLWithPath: directory + "/" + file)
            var bytes = Array(try Data(contentsOf: url))
            bytes[bytes.count / 2] ^= 0x01
            try Data(bytes).write(to: url)
        case .noteRemoved:
            try FileManager.default.removeItem(atPath: accord.ledger.path + ".checkpoint.d/verified")
        }

        let report = try accord.run(arguments)
        #expect(report.status == 0, "\(report.stderr)")
        try Self.removeSnapshots(of: accord)
        let replay = try accord.run(arguments)
        #expect(replay.status == 0)
        #expect(replay.stdout.contains(Self.realTitle) || change == .otherYear)
        if change.snapshotStillUsed {
            #expect(report.stdout.contains(Self.plantedTitle), "\(change): the snapshot was not used")
            #expect(report.stdout.replacingOccurrences(of: Self.plantedTitle, with: Self.realTitle) == replay.stdout)
        } else {
            #expect(!report.stdout.contains(Self.plantedTitle), "\(change): a snapshot was used when it must not be")
            #expect(report.stdout == replay.stdout)
        }
    }

    /// A ledger edited after its snapshot was taken is refused, not reported from the snapshot.
    @Test func anEditedLedgerIsRefusedEvenWithASnapshot() throws {
        let accord = try ReportCommandTests.copy("three-boroughs")
        #expect(try accord.run(["verify"]).status == 0)
        #expect(try accord.run(["splits", "--year", "2013"]).status == 0)
        let at = try #require(Array(try accord.ledgerBytes()).firstIndex(of: UInt8(ascii: "H")))  // in "Hartlepool"
        try overwrite(accord.ledger.path, at: at, with: [UInt8(ascii: "J")])
        let result = try accord.run(["splits", "--year", "2013"])
        #expect(result.status == 3, "\(result.stdout)")
    }
}

/// A report that forgets history superseded before its period lists the
/// retractions first; one it did not know of in advance (here a stored line in
/// a layout the byte search does not recognise) must not leave it with a
/// retracted record's predecessor forgotten. It reads again, forgetting
/// nothing, and saves no snapshot from the first read.
@Suite struct UnannouncedRetractionTests {
    /// three-boroughs, then a pay award for dcs effective before the 2014 period
    /// (so the award before it is superseded then), then its retraction.
    static func ledger(retractionLayout canonical: Bool) throws -> Accord {
        let accord = try ReportCommandTests.copy("three-boroughs")
        var bytes = Array(try accord.ledgerBytes())
        let lines = bytes.split(separator: 0x0A).map(Array.init)
        let award = Record(
            seq: lines.count + 1, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!,
            envelope: EventEnvelope(
                effective: CalendarDate(iso: "2014-01-01")!, by: Author("darlington/finance")!,
                event: .postCosted(PostCosted(post: "dcs", annualPence: 13_000_000, onCostBasisPoints: 2500))),
            prev: SHA256.hash(lines.last!).hex)
        let awardLine = EventEncoder.encodeRecord(award)
        let spacing = canonical ? "" : " "
        let retraction = #"{"seq":\#(lines.count + 2),"type":\#(spacing)"record.retracted","recorded":"2026-01-05T09:00:00Z","by":"darlington/finance","effective":"2014-01-02","data":{"seq":\#(lines.count + 1),"reason":"entered in error"},"prev":"\#(SHA256.hash(awardLine).hex)"}"#
        bytes += awardLine + [0x0A] + Array(retraction.utf8) + [0x0A]
        try Data(bytes).write(to: accord.ledger)
        return accord
    }

    static func posts(_ json: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let data = try JSONSerialization.data(withJSONObject: object["posts"]!, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [true, false])
    func aRetractedAwardLeavesTheAwardBeforeItInForce(_ canonical: Bool) throws {
        let plain = try ReportCommandTests.copy("three-boroughs")
        let expected = try plain.run(["splits", "--year", "2014", "--format", "json"])
        // No `verify` first: its note would list the retraction, and the byte search is what is tested.
        let accord = try Self.ledger(retractionLayout: canonical)
        for run in 1...2 {  // the second run would start from a snapshot, were one saved
            let result = try accord.run(["splits", "--year", "2014", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.posts(result.stdout) == Self.posts(expected.stdout), "run \(run), canonical \(canonical)")
        }
    }
}

extension ReportSnapshotTests {
    /// Each period has its own snapshot; a script asking for many periods keeps
    /// only the eight saved last, so the cache beside a ledger stays bounded.
    @Test func onlyTheLastEightSnapshotsAreKept() throws {
        let accord = try ReportCommandTests.copy("three-boroughs")
        #expect(try accord.run(["verify"]).status == 0)
        for month in 1...10 {
            let from = String(format: "2013-%02d-01", month), to = String(format: "2013-%02d-28", month)
            #expect(try accord.run(["splits", "--from", from, "--to", to]).status == 0)
        }
        let directory = accord.ledger.path + ".checkpoint.d"
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("report-") }
        #expect(snapshots.count == ReportSnapshot.kept, "\(snapshots.sorted())")
        #expect(snapshots.contains { $0.contains("2013-10-01") }, "the last one saved must be kept")
        #expect(!snapshots.contains { $0.contains("2013-01-01") }, "the first one saved must be gone")
    }
}
