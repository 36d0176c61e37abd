import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SPEC §1–2 under crashes: `accord append` processes are SIGKILLed at random
/// moments and the ledger must still be sound.
///
/// After every kill:
/// * `accord verify` passes, or reports a torn tail that `accord repair`
///   removes, after which it passes;
/// * the acknowledged history (every byte up to the last append that exited 0)
///   is unchanged;
/// * the killed append is all or nothing: either every record of its batch is
///   present or none is.
/// At the end of every epoch (a fresh ledger every `epochKills` kills):
/// * `accord log --format json` lists every acknowledged id exactly once, no
///   id twice, no id nobody sent, and each unacknowledged batch whole or not at all;
/// * the `.checkpoint` left by whichever process died last does not make the
///   next append wrong: an append with `expect` set to the verified head gets
///   the next seq, a resent acknowledged event is recognised as already
///   recorded, an id reused for other content is refused, and the chain verifies.
///
/// A third of the killed appends are retried (same ids, same content), as a real
/// client would after a crash: the retry must append the whole batch or
/// report the whole batch as already recorded, never a part.
///
/// A SIGKILL almost never tears a write (the kernel finishes a `write(2)` to a
/// file, stopping short only rarely when a fatal signal is pending), so a
/// power cut is simulated too: after one kill in four that landed after the
/// write, the unacknowledged bytes are cut at a random point, which must read
/// as a torn tail (or nothing) and be repaired.
///
/// Kill delays are timed to the append itself: the harness measures start-up
/// and a whole append first, and every tenth append is left to finish to
/// re-time the window as the ledger grows or the machine gets busy.
///
/// `ACCORD_CRASH_KILLS` (default 200) sets the number of kills;
/// `ACCORD_CRASH_SEED` replays a run's inputs and kill delays (where a delay
/// lands still depends on the machine). The seed is printed with every failure.
@Suite struct CrashTests {
    /// Kills per fresh ledger; bounds the cost of the per-kill `verify`.
    static let epochKills = 50

    @Test func killedAppendsNeverLoseDuplicateOrHalfApplyARecord() throws {
        let environment = ProcessInfo.processInfo.environment
        let kills = environment["ACCORD_CRASH_KILLS"].flatMap(Int.init) ?? 200
        let seed =
            environment["ACCORD_CRASH_SEED"].flatMap { UInt64($0) }
            ?? UInt64(truncatingIfNeeded: Int64(Date().timeIntervalSince1970 * 1_000_000)) ^ UInt64(getpid())
        var harness = try Harness(seed: seed)
        let started = Date()
        harness.calibrate()
        var epoch = 0
        while harness.stats.kills < kills, harness.failures.isEmpty {
            let target = min(kills, harness.stats.kills + Self.epochKills)
            try harness.runEpoch(epoch, untilKills: target)
            epoch += 1
        }
        let elapsed = Date().timeIntervalSince(started)
        print("CrashTests: seed \(seed), \(harness.stats) in \(String(format: "%.1f", elapsed)) s, \(epoch) epochs")
        for failure in harness.failures {
            Issue.record(Comment(rawValue: "seed \(seed) (replay with ACCORD_CRASH_SEED=\(seed)): \(failure)"))
        }
        #expect(harness.stats.kills >= kills, "seed \(seed): only \(harness.stats.kills) kills")
    }

    /// Found by the harness: `repair` names its backup after the clock's second,
    /// so a second torn tail repaired in the same second (or under a fixed
    /// ACCORD_CLOCK) cannot be repaired: the backup exists, exit 3.
    @Test func aSecondRepairInTheSameSecondWorks() throws {
        let accord = try Accord.withLedger()
        defer { try? FileManager.default.removeItem(at: accord.directory) }
        try accord.append([CommandLineTests.register("darlington")])
        let handle = try FileHandle(forWritingTo: accord.ledger)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"seq":2,"ty"#.utf8))
        #expect(try accord.run(["repair"]).status == 0)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"seq":2,"type":"#.utf8))
        try handle.close()
        let second = try accord.run(["repair"])
        let verify = try accord.run(["verify"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(verify.status == 0, "\(verify.stderr)")
        // Both backups are kept, each under its own name.
        let backups = try FileManager.default.contentsOfDirectory(atPath: accord.directory.path).filter { $0.contains(".torn-") }
        #expect(backups.count == 2, "\(backups)")
    }
}

// MARK: - The harness


struct CrashStats: CustomStringConvertible {
    var spawned = 0
    /// Appends that died by SIGKILL.
    var kills = 0
    /// …of which the ledger held none of the batch afterwards; held all of it
    /// but the checkpoint did not (yet) cover it; held it and so did the checkpoint.
    var killedBeforeWrite = 0
    var killedBeforeCheckpoint = 0
    var killedAfterCheckpoint = 0
    /// Appends that finished (exit 0) before their kill time.
    var completed = 0
    /// Appends left to finish, to time the kill window.
    var probes = 0
    var tornTails = 0
    /// Torn tails a SIGKILL made by itself (the kernel may stop a write short when a fatal signal is pending).
    var tornByKill = 0
    var repairs = 0
    var powerCuts = 0
    var retries = 0
    var retriesAlreadyRecorded = 0
    var records = 0
    var minDelayMicroseconds = 0
    var maxDelayMicroseconds = 0

    var description: String {
        "\(kills) kills (\(killedBeforeWrite) before the write, \(killedBeforeCheckpoint) between write and checkpoint, "
            + "\(killedAfterCheckpoint) after the checkpoint), \(completed) appends completed before their kill, \(probes) timing appends, "
            + "\(spawned) spawned, \(powerCuts) simulated power cuts, \(tornTails) torn tails (\(tornByKill) torn by the kill alone), \(repairs) repairs, "
            + "\(retries) retries (\(retriesAlreadyRecorded) already recorded), \(records) records; "
            + "kill delay 0–\(maxDelayMicroseconds / 1000) ms at most, mostly from \(minDelayMicroseconds / 1000) ms"
    }
}

struct Harness {
    /// One `accord append` sent by the harness.
    struct Batch {
        var ids: [String]
        var file: String
        var acknowledged = false
    }

    var random: SplitMix64
    var stats = CrashStats()
    var failures: [String] = []
    let binary = Accord.binary.path
    /// Kill moments: uniform in minDelay…maxDelay µs after spawn (four in five),
    /// or in 0…maxDelay (one in five, to catch start-up and argument parsing too).
    var minDelay = 0
    var maxDelay = 20_000
    /// Median time for the process to start and fail on a missing input file.
    var startup = 0
    var counter = 0
    var clockSeconds = 0

    init(seed: UInt64) throws {
        random = SplitMix64(seed: seed)
        signal(SIGPIPE, SIG_IGN)
    }

    // MARK: Epochs

    mutating func runEpoch(_ epoch: Int, untilKills target: Int) throws {
        var accord = try Accord.withLedger()
        defer { try? FileManager.default.removeItem(at: accord.directory) }
        accord.clock = clock()
        var batches: [Batch] = []
        var acknowledgedBytes = try accord.ledgerBytes()
        var iterations = 0
        while stats.kills < target, failures.isEmpty {
            iterations += 1
            if iterations > 20 * CrashTests.epochKills {
                fail("epoch \(epoch): only \(stats.kills) kills after \(iterations) appends; the kill delay is too long")
                break
            }
            var batch = try makeBatch(in: accord.directory)
            let sizeBefore = acknowledgedBytes.count
            // Every tenth append runs to the end and re-times the kill window: appends slow down as the ledger grows.
            let probe = iterations % 10 == 1
            let delay = random.chance(1, in: 5) ? random.int(0...maxDelay) : random.int(minDelay...maxDelay)
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = spawnAppend(file: batch.file, ledger: accord.ledger.path, killAfterMicroseconds: probe ? nil : delay)
            if probe { retime(appendMicroseconds: Int((DispatchTime.now().uptimeNanoseconds - start) / 1000)) }
            switch outcome {
            case .exited(0):
                if probe { stats.probes += 1 } else { stats.completed += 1 }
                batch.acknowledged = true
            case .exited(let status):
                fail("epoch \(epoch): an append that was not killed exited \(status): \(readOutput(batch.file))")
            case .killed:
                stats.kills += 1
            case .spawnFailed(let error):
                fail("cannot spawn accord: \(error)")
            }
            if !failures.isEmpty { break }

            if case .killed = outcome {
                try afterKill(&batch, accord: accord, sizeBefore: sizeBefore)
            }
            if !failures.isEmpty { break }

            // Whatever happened, what is on disk now must extend the acknowledged history.
            let now = try accord.ledgerBytes()
            guard now.count >= sizeBefore, now.prefix(sizeBefore) == acknowledgedBytes else {
                fail("epoch \(epoch): the acknowledged history changed (was \(sizeBefore) bytes, now \(now.count))")
                break
            }
            let added = idsOfLines(now.suffix(from: sizeBefore))
            if batch.acknowledged, added != batch.ids {
                fail("epoch \(epoch): an acknowledged append of \(batch.ids) left \(added)")
            } else if !batch.acknowledged, !(added.isEmpty || added == batch.ids) {
                fail("epoch \(epoch): a killed batch of \(batch.ids.count) is half applied (or foreign): \(added)")
            }
            stats.records += added.count
            acknowledgedBytes = now
            batches.append(batch)
        }
        if failures.isEmpty { try endOfEpoch(epoch, accord: &accord, batches: batches) }
    }

    /// Verify, repair a torn tail, maybe simulate a power cut, maybe retry.
    mutating func afterKill(_ batch: inout Batch, accord: Accord, sizeBefore: Int) throws {
        var current = try accord.ledgerBytes()
        let wroteSomething = current.count > sizeBefore
        if !wroteSomething {
            stats.killedBeforeWrite += 1
        } else if checkpointSeq(accord) == current.reduce(0, { $0 + ($1 == 0x0A ? 1 : 0) }) {
            stats.killedAfterCheckpoint += 1
        } else {
            stats.killedBeforeCheckpoint += 1
        }

        // A power cut part-way through the unacknowledged write: keep a random prefix of it.
        let powerCut = wroteSomething && random.chance(1, in: 4)
        if powerCut {
            let keep = sizeBefore + random.int(0...(current.count - sizeBefore - 1))
            let fd = open(accord.ledger.path, O_WRONLY)
            if fd < 0 || ftruncate(fd, off_t(keep)) != 0 { fail("cannot simulate a power cut: errno \(errno)") }
            if fd >= 0 { close(fd) }
            stats.powerCuts += 1
            current = try accord.ledgerBytes()
        }

        let verify = run(["verify", "--format", "json"], ledger: accord.ledger)
        if verify.status == 3 {
            guard verify.stdout.contains(#""tornTail":true"#), !verify.stdout.contains("firstBadSeq") else {
                fail("after a kill, verify found more than a torn tail: \(verify.stdout) \(verify.stderr)")
                return
            }
            stats.tornTails += 1
            if !powerCut { stats.tornByKill += 1 }
            let repair = run(["repair"], ledger: accord.ledger)
            guard repair.status == 0 else {
                fail("repair failed with \(repair.status): \(repair.stderr)")
                return
            }
            stats.repairs += 1
            let again = run(["verify", "--format", "json"], ledger: accord.ledger)
            guard again.status == 0 else {
                fail("verify still fails after repair (\(again.status)): \(again.stdout) \(again.stderr)")
                return
            }
        } else if verify.status != 0 {
            fail("verify after a kill exited \(verify.status): \(verify.stdout) \(verify.stderr)")
            return
        } else if verify.stdout.contains(#""tornTail":true"#) {
            fail("verify passed but reported a torn tail: \(verify.stdout)")
            return
        }

        // A client that never got an answer sends the same events again.
        if random.chance(1, in: 3) {
            stats.retries += 1
            let retry = run(["append", batch.file, "--format", "json"], ledger: accord.ledger)
            guard retry.status == 0 else {
                fail("retrying a killed append exited \(retry.status): \(retry.stderr)")
                return
            }
            let json = try JSONSerialization.jsonObject(with: Data(retry.stdout.utf8)) as? [String: Any] ?? [:]
            let appended = (json["appended"] as? [Any])?.count ?? -1
            let already = (json["alreadyRecorded"] as? [Any])?.count ?? -1
            if appended == 0, already == batch.ids.count {
                stats.retriesAlreadyRecorded += 1
            } else if !(appended == batch.ids.count && already == 0) {
                fail("a retry of \(batch.ids.count) events appended \(appended) and found \(already) already recorded: \(retry.stdout)")
                return
            }
            batch.acknowledged = true
        }
    }

    /// The checks that need the whole ledger: ids exactly once, batches whole, and a correct next append.
    mutating func endOfEpoch(_ epoch: Int, accord: inout Accord, batches: [Batch]) throws {
        accord.clock = clock()
        let log = try accord.run(["log", "--format", "json"])
        guard log.status == 0 else { return fail("epoch \(epoch): log exited \(log.status): \(log.stderr)") }
        let json = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any] ?? [:]
        let records = json["records"] as? [[String: Any]] ?? []
        var seen: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            guard let seq = record["seq"] as? Int, seq == index + 1 else {
                return fail("epoch \(epoch): record \(index + 1) has seq \(record["seq"] ?? "none")")
            }
            guard let id = record["id"] as? String else { return fail("epoch \(epoch): seq \(seq) has no id") }
            seen[id, default: 0] += 1
        }
        var sent = Set<String>()
        for batch in batches {
            sent.formUnion(batch.ids)
            let counts = batch.ids.map { seen[$0] ?? 0 }
            if counts.contains(where: { $0 > 1 }) {
                return fail("epoch \(epoch): a record is duplicated: \(zip(batch.ids, counts).filter { $0.1 > 1 })")
            }
            if batch.acknowledged, counts.contains(0) {
                return fail("epoch \(epoch): acknowledged ids are missing: \(zip(batch.ids, counts).filter { $0.1 == 0 }.map(\.0))")
            }
            if !batch.acknowledged, Set(counts).count > 1 {
                return fail("epoch \(epoch): an unacknowledged batch is half applied: \(Array(zip(batch.ids, counts)))")
            }
        }
        if let stray = seen.keys.first(where: { !sent.contains($0) }) {
            return fail("epoch \(epoch): id \(stray) was never sent")
        }

        // Now trust the checkpoint the last (possibly killed) process left behind.
        let head = records.count
        let final = Self.event(council: "final-\(epoch)", id: "final-\(epoch)", expect: head)
        let appended = try accord.run(["append", "-", "--format", "json"], stdin: final)
        guard appended.status == 0, appended.stdout.contains(#""appended":[\#(head + 1)]"#) else {
            return fail("epoch \(epoch): the final append with expect \(head) gave \(appended.status): \(appended.stdout) \(appended.stderr)")
        }
        if let resend = batches.last(where: { $0.acknowledged && $0.ids.count == 1 }) {
            let again = try accord.run(["append", resend.file, "--format", "json"])
            guard again.status == 0, again.stdout.contains(#""appended":[]"#) else {
                return fail("epoch \(epoch): resending acknowledged \(resend.ids[0]) gave \(again.status): \(again.stdout) \(again.stderr)")
            }
            let before = try accord.ledgerBytes()
            let reused = try accord.run(["append", "-"], stdin: Self.event(council: "other-\(epoch)", id: resend.ids[0]))
            guard reused.status != 0, try accord.ledgerBytes() == before else {
                return fail("epoch \(epoch): reusing id \(resend.ids[0]) for other content gave \(reused.status): \(reused.stderr)")
            }
        }
        let verify = try accord.run(["verify", "--format", "json"])
        guard verify.status == 0, verify.stdout.contains(#""seq":\#(head + 1)"#) else {
            return fail("epoch \(epoch): final verify gave \(verify.status): \(verify.stdout) \(verify.stderr)")
        }
    }

    // MARK: Inputs

    static func event(council: String, id: String, expect: Int? = nil) -> String {
        let expectField = expect.map { #","expect":\#($0)"# } ?? ""
        return #"{"type":"council.registered","effective":"2013-04-01","by":"\#(council)/clerk","data":{"council":"\#(council)","name":"Council \#(council)"},"id":"\#(id)"\#(expectField)}"#
    }

    /// One event (40%) or a batch of 2–20, each a new council with a new id, in a file.
    mutating func makeBatch(in directory: URL) throws -> Batch {
        let count = random.chance(2, in: 5) ? 1 : random.int(2...20)
        var ids: [String] = []
        var lines: [String] = []
        let batchNumber = counter
        for _ in 0..<count {
            counter += 1
            ids.append("e-\(counter)")
            lines.append(Self.event(council: "c-\(counter)", id: "e-\(counter)"))
        }
        let file = directory.appendingPathComponent("batch-\(batchNumber).jsonl").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        return Batch(ids: ids, file: file)
    }

    /// The ids of the complete lines in `bytes`, in order.
    func idsOfLines(_ bytes: Data) -> [String] {
        var ids: [String] = []
        for line in bytes.split(separator: 0x0A) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let id = object["id"] as? String
            else {
                ids.append("<unreadable line>")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    /// A clock that moves one second per use: recorded time never goes back, and
    /// each repair's backup gets its own name.
    mutating func clock() -> String {
        clockSeconds += 1
        let date = Date(timeIntervalSince1970: 1_767_603_600 + Double(clockSeconds))  // 2026-01-05T09:00:00Z
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    mutating func fail(_ message: String) { failures.append(message) }

    // MARK: Processes

    enum Outcome {
        case exited(Int32)
        case killed
        case spawnFailed(Int32)
    }

    /// Sets the kill window from how long a whole append just took.
    mutating func retime(appendMicroseconds: Int) {
        maxDelay = max(2_000, appendMicroseconds * 5 / 4)
        minDelay = min(maxDelay / 2, startup * 3 / 4)
        stats.minDelayMicroseconds = minDelay
        stats.maxDelayMicroseconds = max(stats.maxDelayMicroseconds, maxDelay)
    }

    /// How long the process takes to start, and an append of a batch to finish,
    /// here and now, so that most kills land inside the append itself.
    mutating func calibrate() {
        guard let accord = try? Accord.withLedger() else { return }
        defer { try? FileManager.default.removeItem(at: accord.directory) }
        var appends: [Int] = []
        var startups: [Int] = []
        for _ in 0..<7 {
            guard let batch = try? makeBatch(in: accord.directory) else { return }
            var start = DispatchTime.now().uptimeNanoseconds
            _ = spawnAppend(file: batch.file, ledger: accord.ledger.path, killAfterMicroseconds: nil)
            appends.append(Int((DispatchTime.now().uptimeNanoseconds - start) / 1000))
            // `append` of a missing file fails right after start-up, before touching the ledger.
            start = DispatchTime.now().uptimeNanoseconds
            _ = spawnAppend(file: batch.file + ".missing", ledger: accord.ledger.path, killAfterMicroseconds: nil)
            startups.append(Int((DispatchTime.now().uptimeNanoseconds - start) / 1000))
        }
        appends.sort()
        startups.sort()
        // Past the median append so some finish; from most of the start-up so few die before it begins.
        startup = startups[startups.count / 2]
        retime(appendMicroseconds: appends[appends.count / 2])
    }

    /// The head seq of the checkpoint beside the ledger, if it has a readable one.
    func checkpointSeq(_ accord: Accord) -> Int? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: accord.ledger.path + ".checkpoint")),
            let firstLine = data.split(separator: 0x0A).first,
            let object = try? JSONSerialization.jsonObject(with: Data(firstLine)) as? [String: Any]
        else { return nil }
        return object["seq"] as? Int
    }

    /// Spawns `accord append FILE --ledger LEDGER`, and SIGKILLs it after
    /// `killAfterMicroseconds` unless it has finished. Its output goes to FILE.out and FILE.err.
    mutating func spawnAppend(file: String, ledger: String, killAfterMicroseconds: Int?) -> Outcome {
        spawn(["append", file, "--ledger", ledger], output: file, killAfterMicroseconds: killAfterMicroseconds)
    }

    /// Runs `accord ARGUMENTS --ledger LEDGER` to the end; faster than `Accord.run`,
    /// which matters when it runs after every kill.
    mutating func run(_ arguments: [String], ledger: URL) -> Accord.Result {
        let output = ledger.deletingLastPathComponent().appendingPathComponent("command").path
        let outcome = spawn(arguments + ["--ledger", ledger.path], output: output, killAfterMicroseconds: nil)
        let stdout = (try? String(contentsOfFile: output + ".out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
        switch outcome {
        case .exited(let status): return Accord.Result(status: status, stdout: stdout, stderr: stderr)
        case .killed: return Accord.Result(status: 128 + SIGKILL, stdout: stdout, stderr: stderr)
        case .spawnFailed(let error): return Accord.Result(status: -1, stdout: "", stderr: "cannot spawn accord: errno \(error)")
        }
    }

    /// Spawns the binary directly (no pipes, no Foundation.Process), so a kill
    /// lands at a precise moment, then SIGKILLs it after `killAfterMicroseconds`
    /// unless it has finished. Each run gets the next tick of the clock.
    mutating func spawn(_ arguments: [String], output: String, killAfterMicroseconds: Int?) -> Outcome {
        stats.spawned += 1
        var environment = ProcessInfo.processInfo.environment
        environment["ACCORD_CLOCK"] = clock()
        environment.removeValue(forKey: "ACCORD_LEDGER")
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, output + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { return .spawnFailed(spawned) }
        if let delay = killAfterMicroseconds {
            if delay > 0 { usleep(useconds_t(delay)) }
            kill(pid, SIGKILL)  // a no-op if it has already exited (it is not reaped yet)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .spawnFailed(errno) }
        }
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return signal == SIGKILL ? .killed : .exited(128 + signal)
    }

    func readOutput(_ file: String) -> String {
        let err = (try? String(contentsOfFile: file + ".err", encoding: .utf8)) ?? ""
        let out = (try? String(contentsOfFile: file + ".out", encoding: .utf8)) ?? ""
        return "stdout «\(out)» stderr «\(err)»"
    }
}
