// libFuzzer target over the packed layout of checkpoint shards (module
// `Projections`, `World(packed:)`).
//
// Not part of Package.swift: `FUZZ_TARGET=packed Tools/fuzz/run` builds it
// with `swiftc -sanitize=fuzzer,address` against the Events and Projections
// sources.
//
// For every input: reading the bytes as a packed world may not crash, hang
// or trip ASan; and whatever the reader takes, the writer must write back as
// exactly those bytes, since the reader is meant to take nothing else (a
// damaged shard the seal missed is then refused, or is another whole world).

import Events
import Projections

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let world = World(packed: bytes) else { return 0 }
    var again: [UInt8] = []
    World.CheckpointListing(world).writePacked(into: &again)
    guard again.elementsEqual(bytes) else {
        fatalError("the packed reader took \(size) bytes that the writer writes as \(again.count) others")
    }
    return 0
}
