// swift-tools-version:6.0
// Accord has no package dependencies by design: a legal record with no supply
// chain. Everything below is the toolchain plus this repository.
import PackageDescription

let package = Package(
    name: "Accord",
    products: [
        .executable(name: "accord", targets: ["accord"]),
    ],
    targets: [
        .target(name: "Events", path: "Events", exclude: ["Samples"]),
        .target(name: "CSHA256", path: "Sources/CSHA256"),
        .target(name: "Ledger", dependencies: ["Events", "CSHA256"], path: "Sources/Ledger"),
        .target(name: "Projections", dependencies: ["Events"], path: "Projections"),
        .target(name: "Sovereignty", dependencies: ["Events", "Ledger", "Projections"], path: "Sources/Sovereignty"),
        .executableTarget(
            name: "accord", dependencies: ["Events", "Ledger", "Projections", "Sovereignty"], path: "Tools/accord"),
        .executableTarget(name: "accord-bench", dependencies: ["Events"], path: "Tools/bench/Generator"),
        .target(name: "TestSupport", dependencies: ["Events"], path: "Tests/TestSupport"),
        .testTarget(name: "EventsTests", dependencies: ["Events", "TestSupport"], path: "Tests/EventsTests"),
        .testTarget(
            name: "LedgerTests", dependencies: ["Events", "Ledger", "TestSupport"], path: "Tests/LedgerTests",
            exclude: ["Fixtures"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Events", "Projections", "TestSupport"], path: "Tests/ProjectionsTests"),
        .testTarget(
            name: "SovereigntyTests", dependencies: ["Events", "Ledger", "Projections", "Sovereignty", "TestSupport"],
            path: "Tests/SovereigntyTests"),
        .testTarget(
            name: "AccordTests", dependencies: ["Events", "Ledger", "accord", "TestSupport"], path: "Tests/AccordTests"),
    ]
)
