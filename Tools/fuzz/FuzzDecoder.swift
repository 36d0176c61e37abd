// libFuzzer target over the event decoder (module `Events`).
//
// Not part of Package.swift: `Tools/fuzz/run` builds it with
// `swiftc -sanitize=fuzzer,address` against the Events sources.
//
// For every input it:
//   1. decodes the bytes as an `accord append` input event (strict) and as a
//      stored ledger record (lenient) — neither may crash, hang or trip ASan;
//   2. when a decode succeeds, re-encodes the value canonically and checks
//      that decode(encode(x)) == x and that encoding is a fixed point
//      (encode(decode(encode(x))) == encode(x)), because the chain hashes
//      exactly those bytes;
//   3. checks the same through the `JSONValue` entry points, so parsing and
//      typing agree whichever door the bytes come in by.
// Any violated property calls `fatalError`, which libFuzzer reports as a
// crash and saves as an artifact.

import Events

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    checkInput(bytes)
    checkRecord(bytes)
    return 0
}

private func checkInput(_ bytes: UnsafeRawBufferPointer) {
    let decoded: InputEvent
    do {
        decoded = try EventDecoder.decodeInput(bytes)
    } catch {
        // Rejected input must say which field (or the whole line, "") and why.
        if error.message.isEmpty { fatalError("input rejected without a message (field \(error.field))") }
        return
    }
    let encoded = EventEncoder.encodeInput(decoded)
    let again: InputEvent
    do {
        again = try encoded.withUnsafeBytes { buffer in
            try Result { () throws(FieldError) -> InputEvent in try EventDecoder.decodeInput(buffer) }.get()
        }
    } catch {
        fatalError("encodeInput produced bytes decodeInput refuses: \(error) — \(String(decoding: encoded, as: UTF8.self))")
    }
    guard again == decoded else {
        fatalError("input round trip changed the event: \(decoded) → \(again)")
    }
    guard EventEncoder.encodeInput(again) == encoded else {
        fatalError("encodeInput is not a fixed point: \(String(decoding: encoded, as: UTF8.self))")
    }
    // The JSONValue door must agree with the bytes door.
    guard let value = try? JSONParser.parse(bytes), let viaValue = try? EventDecoder.decodeInput(value),
        viaValue == decoded
    else {
        fatalError("decodeInput(JSONValue) disagrees with decodeInput(bytes)")
    }
    // A valid input is also valid idempotency content.
    _ = EventEncoder.content(decoded.envelope)
}

private func checkRecord(_ bytes: UnsafeRawBufferPointer) {
    let decoded: Record
    do {
        decoded = try EventDecoder.decodeRecord(bytes)
    } catch {
        if error.message.isEmpty { fatalError("record rejected without a message (field \(error.field))") }
        return
    }
    let encoded = EventEncoder.encodeRecord(decoded)
    guard !encoded.contains(0x0A) else {
        fatalError("an encoded record contains a newline: \(String(decoding: encoded, as: UTF8.self))")
    }
    let again: Record
    do {
        again = try encoded.withUnsafeBytes { buffer in
            try Result { () throws(FieldError) -> Record in try EventDecoder.decodeRecord(buffer) }.get()
        }
    } catch {
        fatalError("encodeRecord produced bytes decodeRecord refuses: \(error) — \(String(decoding: encoded, as: UTF8.self))")
    }
    guard again == decoded else {
        fatalError("record round trip changed the record: \(decoded) → \(again)")
    }
    guard EventEncoder.encodeRecord(again) == encoded else {
        fatalError("encodeRecord is not a fixed point: \(String(decoding: encoded, as: UTF8.self))")
    }
    guard let value = try? JSONParser.parse(bytes), let viaValue = try? EventDecoder.decodeRecord(value),
        viaValue == decoded
    else {
        fatalError("decodeRecord(JSONValue) disagrees with decodeRecord(bytes)")
    }
}
