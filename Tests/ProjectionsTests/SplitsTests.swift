import Events
import Testing
@testable import Projections

/// One hand-worked cost split (SPEC §5.1). Every figure in the comments below
/// was worked by hand and then checked with python3 `fractions.Fraction`,
/// day by day, before it was written here.
struct SplitCase: Sendable, CustomTestStringConvertible {
    var name: String
    var post: Identifier = "p1"
    var from: String
    var to: String
    /// Ledger events after the shared setup (councils, agreement `agr`, post `p1`);
    /// `post` is the one split (usually `p1`).
    var build: @Sendable (inout LedgerBuilder) -> Void
    var employer: Identifier
    var councils: [Identifier]
    var agreementNotice = NoticeRule(months: 6, alignment: .none)
    /// Exact total as numerator/denominator in lowest terms.
    var exactTotal: (Int128, Int128)
    var totalPence: Int64
    /// Whole pence per council, and `"(unapportioned)"`.
    var pence: [String: Int64]
    /// Exact share per council as numerator/denominator in lowest terms.
    var exact: [String: (Int128, Int128)] = [:]

    var testDescription: String { name }

    func world() -> World {
        var ledger = LedgerBuilder()
        for council in councils { ledger.council(council) }
        ledger.agreement("agr", parties: councils, notice: agreementNotice)
        ledger.post("p1", agreement: "agr", employer: employer)
        build(&ledger)
        return ledger.world()
    }
}

@Suite("Cost splits, worked by hand (SPEC §5.1)")
struct SplitsTests {
    static let cases: [SplitCase] = [
        // LEAP FINANCIAL YEAR. FY 2015-16 runs 2015-04-01 … 2016-03-31 and holds
        // 29 Feb 2016: 366 days. Costed from 2016-01-04: Jan 28 + Feb 29 + Mar 31 = 88 days.
        //   daily       = 12 000 000 × 12 500 / 10 000 / 366 = 15 000 000/366 = 2 500 000/61
        //   exact total = 2 500 000/61 × 88 = 220 000 000/61 = 3 606 557.377… → half up 3 606 557
        //   a (2 of 3)  = 440 000 000/183 = 2 404 371.5847 → floor 2 404 371, remainder .585
        //   b (1 of 3)  = 220 000 000/183 = 1 202 185.7923 → floor 1 202 185, remainder .792
        //   floors 3 606 556, 1 penny left → largest remainder b (.792 > .585), though a employs.
        //   (Dividing by 365 by mistake would give a total of 3 616 438.)
        SplitCase(
            name: "leap FY 2015-16, 88 days from 4 Jan", from: "2015-04-01", to: "2016-03-31",
            build: { l in
                l.cost("p1", 12_000_000, onCost: 2500, on: "2016-01-04")
                l.apportion("p1", ["a": 2, "b": 1], on: "2016-01-04")
            },
            employer: "a", councils: ["a", "b"], exactTotal: (220_000_000, 61), totalPence: 3_606_557,
            pence: ["a": 2_404_371, "b": 1_202_186, "(unapportioned)": 0],
            exact: ["a": (440_000_000, 183), "b": (220_000_000, 183)]),

        // LEAP DAY ITSELF. FY 2023-24 (2023-04-01 … 2024-03-31) holds 29 Feb 2024: 366 days.
        // Costed from 2024-02-29: 1 + 31 = 32 days. On-costs 1234 bp.
        //   exact total = 9 876 543 × 11 234 × 32 / (10 000 × 366)
        //               = 36 984 361 354/38 125 = 970 081.6093 → 970 082
        //   x (3 of 10) = 55 476 542 031/190 625 = 291 024.4828 → floor 291 024, remainder .483
        //   y (7 of 10) = 129 445 264 739/190 625 = 679 057.1265 → floor 679 057, remainder .126
        //   floors 970 081, 1 left → x (.483 > .126); y employs but has the smaller remainder.
        SplitCase(
            name: "leap FY 2023-24, costed from 29 Feb 2024", from: "2023-04-01", to: "2024-03-31",
            build: { l in
                l.cost("p1", 9_876_543, onCost: 1234, on: "2024-02-29")
                l.apportion("p1", ["x": 3, "y": 7], on: "2024-02-29")
            },
            employer: "y", councils: ["x", "y"], exactTotal: (36_984_361_354, 38_125), totalPence: 970_082,
            pence: ["x": 291_025, "y": 679_057, "(unapportioned)": 0],
            exact: ["x": (55_476_542_031, 190_625), "y": (129_445_264_739, 190_625)]),

        // MID-YEAR CHANGE OF WEIGHTS. FY 2017-18: 365 days.
        //   daily = 9 200 000 × 12 500 / 10 000 / 365 = 11 500 000/365 = 2 300 000/73
        //   2017-04-01 … 09-30 = 183 days at a:b = 1:1; 2017-10-01 … 2018-03-31 = 182 days at a:b:c = 1:2:1.
        //   exact total = 2 300 000/73 × 365 = 11 500 000 exactly
        //   a = 2 300 000/73 × (183/2 + 182/4) = 2 300 000/73 × 137 = 315 100 000/73
        //     = 4 316 438.356 → floor 4 316 438, remainder .356
        //   b = 2 300 000/73 × (183/2 + 182/2) = 2 300 000/73 × 182.5 = 5 750 000 exactly, remainder 0
        //   c = 2 300 000/73 × 182/4 = 104 650 000/73 = 1 433 561.644 → floor 1 433 561, remainder .644
        //   floors 11 499 999, 1 left → c (.644).
        SplitCase(
            name: "weights change 1 Oct, c joins", from: "2017-04-01", to: "2018-03-31",
            build: { l in
                l.cost("p1", 9_200_000, onCost: 2500, on: "2017-04-01")
                l.apportion("p1", ["a": 1, "b": 1], on: "2017-04-01")
                l.apportion("p1", ["a": 1, "b": 2, "c": 1], on: "2017-10-01")
            },
            employer: "a", councils: ["a", "b", "c"], exactTotal: (11_500_000, 1), totalPence: 11_500_000,
            pence: ["a": 4_316_438, "b": 5_750_000, "c": 1_433_562, "(unapportioned)": 0],
            exact: ["a": (315_100_000, 73), "b": (5_750_000, 1), "c": (104_650_000, 73)]),

        // MID-YEAR CHANGE OF COST AND ON-COSTS, population weights. FY 2018-19: 365 days.
        //   2018-04-01 … 09-14 = 30+31+30+31+31+14 = 167 days at 8 000 000 × 1.20 = 9 600 000 a year;
        //   2018-09-15 … 2019-03-31 = 198 days at 8 500 000 × 1.235 = 10 497 500 a year.
        //   exact total = (9 600 000 × 167 + 10 497 500 × 198)/365 = (1 603 200 000 + 2 078 505 000)/365
        //               = 3 681 705 000/365 = 736 341 000/73 = 10 086 863.014 → 10 086 863
        //   weights 105 600 : 92 000 : 135 200 (sum 332 800) = 33/104 : 115/416 : 13/32
        //   darlington = 736 341 000/73 × 33/104  = 3 037 406 625/949   = 3 200 639.2255 → rem .226
        //   hartlepool = 736 341 000/73 × 115/416 = 10 584 901 875/3 796 = 2 788 435.6889 → rem .689
        //   redcar     = 736 341 000/73 × 13/32   = 1 196 554 125/292   = 4 097 788.0993 → rem .099
        //   floors 10 086 862, 1 left → hartlepool (.689).
        SplitCase(
            name: "cost and on-costs change 15 Sep", from: "2018-04-01", to: "2019-03-31",
            build: { l in
                l.cost("p1", 8_000_000, onCost: 2000, on: "2018-04-01")
                l.cost("p1", 8_500_000, onCost: 2350, on: "2018-09-15")
                l.apportion(
                    "p1", ["darlington": 105_600, "hartlepool": 92_000, "redcar": 135_200], on: "2018-04-01",
                    basis: .population)
            },
            employer: "hartlepool", councils: ["darlington", "hartlepool", "redcar"],
            exactTotal: (736_341_000, 73), totalPence: 10_086_863,
            pence: ["darlington": 3_200_639, "hartlepool": 2_788_436, "redcar": 4_097_788, "(unapportioned)": 0],
            exact: [
                "darlington": (3_037_406_625, 949), "hartlepool": (10_584_901_875, 3_796),
                "redcar": (1_196_554_125, 292),
            ]),

        // THREE-WAY TIE, two pennies. FY 2019-20 (366 days), costed all year: 10 000 001 × 366/366
        // = 10 000 001 exactly. Weights c10 : c2 : c9 = 1:1:1, employer c9.
        //   each = 10 000 001/3 = 3 333 333⅔ → floor 3 333 333, remainder ⅔ (all three tie)
        //   floors 9 999 999, 2 left → employer c9 first, then byte order: "c10" < "c2" < "c9"
        //   ('1' = 0x31 < '2' = 0x32), so c10. c2, last in byte order, gets none.
        SplitCase(
            name: "three-way tie, 2 pennies: employer then byte order", from: "2019-04-01", to: "2020-03-31",
            build: { l in
                l.cost("p1", 10_000_001, on: "2019-04-01")
                l.apportion("p1", ["c10": 1, "c2": 1, "c9": 1], on: "2019-04-01")
            },
            employer: "c9", councils: ["c10", "c2", "c9"], exactTotal: (10_000_001, 1), totalPence: 10_000_001,
            pence: ["c10": 3_333_334, "c2": 3_333_333, "c9": 3_333_334, "(unapportioned)": 0],
            exact: ["c10": (10_000_001, 3), "c2": (10_000_001, 3), "c9": (10_000_001, 3)]),

        // THREE-WAY TIE, one penny: 10 000 000/3 = 3 333 333⅓ each, remainder ⅓ (tie);
        //   floors 9 999 999, 1 left → the employer c9 alone.
        SplitCase(
            name: "three-way tie, 1 penny: employer", from: "2019-04-01", to: "2020-03-31",
            build: { l in
                l.cost("p1", 10_000_000, on: "2019-04-01")
                l.apportion("p1", ["c10": 1, "c2": 1, "c9": 1], on: "2019-04-01")
            },
            employer: "c9", councils: ["c10", "c2", "c9"], exactTotal: (10_000_000, 1), totalPence: 10_000_000,
            pence: ["c10": 3_333_333, "c2": 3_333_333, "c9": 3_333_334, "(unapportioned)": 0]),

        // TIE WITH THE UNAPPORTIONED SHARE. As the two-penny tie, but c2 left on 2019-03-31
        // (explicit `leaves`), so its third is unapportioned all year (no new apportionment).
        //   c9, c10 and unapportioned each 10 000 001/3 = 3 333 333⅔, remainder ⅔ (three-way tie)
        //   2 left → employer c9, then c10; unapportioned takes part "after every council in a tie".
        SplitCase(
            name: "tie with the unapportioned share: councils first", from: "2019-04-01", to: "2020-03-31",
            build: { l in
                l.notice("c2", .agreement("agr"), on: "2018-06-01", leaves: "2019-03-31", proposal: "p-early")
                l.cost("p1", 10_000_001, on: "2019-04-01")
                l.apportion("p1", ["c10": 1, "c2": 1, "c9": 1], on: "2019-04-01")
            },
            employer: "c9", councils: ["c10", "c2", "c9"], exactTotal: (10_000_001, 1), totalPence: 10_000_001,
            pence: ["c10": 3_333_334, "c9": 3_333_334, "(unapportioned)": 3_333_333],
            exact: ["c10": (10_000_001, 3), "c9": (10_000_001, 3)]),

        // TIE WHEN THE EMPLOYER HAS LEFT. The employer c9 left on 2019-03-31; c10, c2 and
        // unapportioned tie at ⅔; 2 left → byte order c10, c2; unapportioned last: 3 333 333.
        SplitCase(
            name: "tie after the employer has left: byte order, unapportioned last", from: "2019-04-01",
            to: "2020-03-31",
            build: { l in
                l.notice("c9", .agreement("agr"), on: "2018-06-01", leaves: "2019-03-31", proposal: "p-early")
                l.cost("p1", 10_000_001, on: "2019-04-01")
                l.apportion("p1", ["c10": 1, "c2": 1, "c9": 1], on: "2019-04-01")
            },
            employer: "c9", councils: ["c10", "c2", "c9"], exactTotal: (10_000_001, 1), totalPence: 10_000_001,
            pence: ["c10": 3_333_334, "c2": 3_333_334, "(unapportioned)": 3_333_333]),

        // WITHDRAWAL PART-WAY THROUGH A LEAP YEAR. Agreement notice 6 months, no alignment.
        // c serves notice on the agreement on 2019-08-31: + 6 months = "2020-02-31" → last day
        // 2020-02-29 (shorter month, leap year). c bears nothing from 2020-03-01; its third is
        // unapportioned until a:b = 1:1 is agreed from 2020-03-16.
        // FY 2019-20 has 366 days. 15 000 000 + 10% on-costs = 16 500 000 a year;
        //   daily = 16 500 000/366 = 2 750 000/61.
        //   2019-04-01 … 2020-02-29: 335 days, thirds; 03-01 … 03-15: 15 days, c's third unapportioned;
        //   03-16 … 03-31: 16 days, halves. exact total = 16 500 000 (the whole year).
        //   a = b = 2 750 000/61 × (335/3 + 15/3 + 16/2) = 2 750 000/61 × 374/3 = 1 028 500 000/183
        //         = 5 620 218.579 → floor 5 620 218, remainder .579
        //   c     = 2 750 000/61 × 335/3 = 921 250 000/183 = 5 034 153.005 → floor 5 034 153, rem .005
        //   unapp = 2 750 000/61 × 15/3 = 13 750 000/61 = 225 409.836 → floor 225 409, rem .836
        //   floors 16 499 998, 2 left → unapportioned (.836), then the a/b tie at .579 → employer a.
        SplitCase(
            name: "withdrawal: leaver's share unapportioned until re-apportioned", from: "2019-04-01",
            to: "2020-03-31",
            build: { l in
                l.cost("p1", 15_000_000, onCost: 1000, on: "2019-04-01")
                l.apportion("p1", ["a": 1, "b": 1, "c": 1], on: "2019-04-01")
                l.notice("c", .agreement("agr"), on: "2019-08-31")
                l.apportion("p1", ["a": 1, "b": 1], on: "2020-03-16")
            },
            employer: "a", councils: ["a", "b", "c"], exactTotal: (16_500_000, 1), totalPence: 16_500_000,
            pence: ["a": 5_620_219, "b": 5_620_218, "c": 5_034_153, "(unapportioned)": 225_410],
            exact: ["a": (1_028_500_000, 183), "b": (1_028_500_000, 183), "c": (921_250_000, 183)]),

        // SAMPLES.md §2 exec-director (cambs leaves 2018-02-28 under the post's own 6-month rule,
        // not the agreement's financial-year-end rule; nobody takes its half on).
        //   91 days at 13 000 000 × 1.25 and 274 days at 13 500 000 × 1.25, over 365:
        //   exact total = 6 102 500 000/365 = 1 220 500 000/73 = 16 719 178.082 → 16 719 178
        //   pboro = 610 250 000/73 = 8 359 589.041 → rem .041
        //   cambs = 557 937 500/73 = 7 642 979.452 → rem .452
        //   unapp = cambs' half of March 2018 = 16 875 000/365 × 31 / 2 = 52 312 500/73 = 716 609.589 → rem .589
        //   1 left → unapportioned (.589 > .452 > .041).
        SplitCase(
            name: "SAMPLES exec-director: post rule, leaver", post: "exec", from: "2017-04-01", to: "2018-03-31",
            build: { l in
                l.post(
                    "exec", agreement: "agr", employer: "pboro", notice: NoticeRule(months: 6, alignment: .none),
                    on: "2016-10-01")
                l.cost("exec", 13_000_000, onCost: 2500, on: "2016-10-01")
                l.apportion("exec", ["cambs": 1, "pboro": 1], on: "2016-10-01", basis: .equal)
                l.cost("exec", 13_500_000, onCost: 2500, on: "2017-07-01")
                l.notice("cambs", .post("exec"), on: "2017-08-31")
                // p1 (the shared setup's post) is costed too, so splitting "exec" alone matters.
                l.cost("p1", 1_000_000, on: "2017-04-01")
            },
            employer: "pboro", councils: ["cambs", "pboro"],
            agreementNotice: NoticeRule(months: 6, alignment: .financialYearEnd),
            exactTotal: (1_220_500_000, 73), totalPence: 16_719_178,
            pence: ["cambs": 7_642_979, "pboro": 8_359_589, "(unapportioned)": 716_610],
            exact: ["cambs": (557_937_500, 73), "pboro": (610_250_000, 73)]),

        // ON-COSTS, 1 basis point. FY 2021-22 (365 days); costed from 2021-07-15:
        // 17+31+30+31+30+31+31+28+31 = 260 days; a:b:c:d = 1:1:1:1.
        //   10 000 000 × 10 001/10 000 = 10 001 000 a year = 27 400 a day exactly (10 001 000 = 365 × 27 400)
        //   exact total = 27 400 × 260 = 7 124 000; each quarter 1 781 000 exactly, nothing to round.
        SplitCase(
            name: "on-costs 1 bp", from: "2021-04-01", to: "2022-03-31",
            build: { l in
                l.cost("p1", 10_000_000, onCost: 1, on: "2021-07-15")
                l.apportion("p1", ["a": 1, "b": 1, "c": 1, "d": 1], on: "2021-07-15")
            },
            employer: "d", councils: ["a", "b", "c", "d"], exactTotal: (7_124_000, 1), totalPence: 7_124_000,
            pence: ["a": 1_781_000, "b": 1_781_000, "c": 1_781_000, "d": 1_781_000, "(unapportioned)": 0]),

        // ON-COSTS, none: the same post without on-costs.
        //   exact total = 10 000 000 × 260/365 = 520 000 000/73 = 7 123 287.671 → 7 123 288
        //   each quarter 130 000 000/73 = 1 780 821.918 → floor 1 780 821, rem .918 (four-way tie)
        //   floors 7 123 284, 4 left → one each.
        SplitCase(
            name: "on-costs 0 bp", from: "2021-04-01", to: "2022-03-31",
            build: { l in
                l.cost("p1", 10_000_000, onCost: 0, on: "2021-07-15")
                l.apportion("p1", ["a": 1, "b": 1, "c": 1, "d": 1], on: "2021-07-15")
            },
            employer: "d", councils: ["a", "b", "c", "d"], exactTotal: (520_000_000, 73), totalPence: 7_123_288,
            pence: ["a": 1_780_822, "b": 1_780_822, "c": 1_780_822, "d": 1_780_822, "(unapportioned)": 0]),

        // ON-COSTS, 5000 bp (50%): 15 000 000 a year.
        //   exact total = 15 000 000 × 260/365 = 780 000 000/73 = 10 684 931.507 → 10 684 932
        //   each quarter 195 000 000/73 = 2 671 232.877 → floor 2 671 232, rem .877 (four-way tie)
        //   floors 10 684 928, 4 left → one each.
        SplitCase(
            name: "on-costs 5000 bp", from: "2021-04-01", to: "2022-03-31",
            build: { l in
                l.cost("p1", 10_000_000, onCost: 5000, on: "2021-07-15")
                l.apportion("p1", ["a": 1, "b": 1, "c": 1, "d": 1], on: "2021-07-15")
            },
            employer: "d", councils: ["a", "b", "c", "d"], exactTotal: (780_000_000, 73), totalPence: 10_684_932,
            pence: ["a": 2_671_233, "b": 2_671_233, "c": 2_671_233, "d": 2_671_233, "(unapportioned)": 0]),

        // A POST THAT ENDS. post.ended effective 2021-01-01: no cost from that day.
        // FY 2020-21: 365 days (no 29 Feb 2021). Days 2020-04-01 … 2020-12-31 = 275.
        //   exact total = 7 777 777 × 12 750 × 275 / (10 000 × 365) = 4 363 332 897/584
        //               = 7 471 460.440 → 7 471 460
        //   a (2 of 5) = 4 363 332 897/1 460  = 2 988 584.176 → floor 2 988 584, rem .176
        //   b (3 of 5) = 13 089 998 691/2 920 = 4 482 876.264 → floor 4 482 876, rem .264
        //   floors 7 471 460 = the total: no penny left.
        SplitCase(
            name: "post ended 1 Jan 2021", from: "2020-04-01", to: "2021-03-31",
            build: { l in
                l.cost("p1", 7_777_777, onCost: 2750, on: "2020-04-01")
                l.apportion("p1", ["a": 2, "b": 3], on: "2020-04-01")
                l.end("p1", on: "2021-01-01")
            },
            employer: "b", councils: ["a", "b"], exactTotal: (4_363_332_897, 584), totalPence: 7_471_460,
            pence: ["a": 2_988_584, "b": 4_482_876, "(unapportioned)": 0],
            exact: ["a": (4_363_332_897, 1_460), "b": (13_089_998_691, 2_920)]),

        // COST BEFORE ANY APPORTIONMENT. FY 2022-23 (365 days), 6 000 000 + 15% = 6 900 000 a year,
        // daily 6 900 000/365 = 1 380 000/73. 2022-04-01 … 05-31 = 61 days unapportioned;
        // 2022-06-01 … 2023-03-31 = 304 days at a:b = 1:1. exact total 6 900 000.
        //   unapp = 1 380 000/73 × 61  = 84 180 000/73  = 1 153 150.685 → rem .685
        //   a = b = 1 380 000/73 × 152 = 209 760 000/73 = 2 873 424.658 → rem .658
        //   floors 6 899 998, 2 left → unapportioned (.685), then the a/b tie → employer b.
        SplitCase(
            name: "unapportioned until the first apportionment", from: "2022-04-01", to: "2023-03-31",
            build: { l in
                l.cost("p1", 6_000_000, onCost: 1500, on: "2022-04-01")
                l.apportion("p1", ["a": 1, "b": 1], on: "2022-06-01")
            },
            employer: "b", councils: ["a", "b"], exactTotal: (6_900_000, 1), totalPence: 6_900_000,
            pence: ["a": 2_873_424, "b": 2_873_425, "(unapportioned)": 1_153_151],
            exact: ["a": (209_760_000, 73), "b": (209_760_000, 73)]),

        // A PERIOD ACROSS TWO FINANCIAL YEARS, one of them leap. 2016-01-01 … 2016-06-30,
        // 7 300 000 a year, no on-costs, a:b:c = 1:1:1, employer b.
        //   2016-01-01 … 03-31 in FY 2015-16 (366 days): 31+29+31 = 91 days at 7 300 000/366
        //   2016-04-01 … 06-30 in FY 2016-17 (365 days): 30+31+30 = 91 days at 20 000 a day
        //   exact total = 664 300 000/366 + 1 820 000 = 332 150 000/183 + 1 820 000
        //               = 665 210 000/183 = 3 635 027.322 → 3 635 027
        //   each third = 665 210 000/549 = 1 211 675.774 → floor 1 211 675, rem .774 (tie)
        //   floors 3 635 025, 2 left → employer b, then a; c none.
        SplitCase(
            name: "period across FY 2015-16 (366) and FY 2016-17 (365)", from: "2016-01-01", to: "2016-06-30",
            build: { l in
                l.cost("p1", 7_300_000, on: "2015-04-01")
                l.apportion("p1", ["a": 1, "b": 1, "c": 1], on: "2015-04-01")
            },
            employer: "b", councils: ["a", "b", "c"], exactTotal: (665_210_000, 183), totalPence: 3_635_027,
            pence: ["a": 1_211_676, "b": 1_211_676, "c": 1_211_675, "(unapportioned)": 0],
            exact: ["a": (665_210_000, 549), "b": (665_210_000, 549), "c": (665_210_000, 549)]),
    ]

    @Test(arguments: cases)
    func handWorked(_ c: SplitCase) throws {
        let world = c.world()
        let split = try splitOf(world, c.post, from: c.from, to: c.to)
        #expect(split.exactTotalPence.numerator == c.exactTotal.0)
        #expect(split.exactTotalPence.denominator == c.exactTotal.1)
        #expect(split.totalPence == c.totalPence)
        #expect(split.penceByCouncil == c.pence)
        for (council, fraction) in c.exact {
            let share = split.councils.first { $0.council.raw == council }
            #expect(share?.exactPence.numerator == fraction.0, "\(council)")
            #expect(share?.exactPence.denominator == fraction.1, "\(council)")
        }
        // Councils come out in id order, and always add up to the total.
        #expect(split.councils.map(\.council) == split.councils.map(\.council).sorted())
        #expect(split.councils.reduce(0) { $0 + $1.pence } + split.unapportionedPence == split.totalPence)
    }

    @Test func fullLeapYearCostsTheAnnualAmountExactly() throws {
        // 366 days × (12 000 000 × 1.25 / 366) = 15 000 000: no day is lost or doubled in a leap year.
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 12_000_000, onCost: 2500, on: "2015-04-01")
        l.apportion("p1", ["a": 1], on: "2015-04-01")
        let world = l.world()
        for (from, to) in [("2015-04-01", "2016-03-31"), ("2023-04-01", "2024-03-31"), ("2016-04-01", "2017-03-31")] {
            let split = try splitOf(world, "p1", from: from, to: to)
            #expect(split.totalPence == 15_000_000, "\(from)")
            #expect(split.pence("a") == 15_000_000, "\(from)")
        }
        // Two years, 366 + 365 days: exactly twice the annual cost.
        let both = try splitOf(world, "p1", from: "2015-04-01", to: "2017-03-31")
        #expect(both.totalPence == 30_000_000)
        #expect(both.segments.map(\.yearDays) == [366, 365])
    }

    @Test func noCostBeforeCostedOrFromEnded() throws {
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")
        l.apportion("p1", ["a": 1, "b": 1], on: "2020-04-01")
        l.cost("p1", 3_650_000, on: "2020-10-01")  // 10 000 a day (FY 2020-21 has 365 days)
        l.end("p1", on: "2021-01-01")
        let world = l.world()
        // Before the cost: nothing at all, not an unapportioned zero.
        #expect(try Splits.split(world, post: "p1", from: d("2020-04-01"), to: d("2020-09-30")) == nil)
        // From the end date on: nothing.
        #expect(try Splits.split(world, post: "p1", from: d("2021-01-01"), to: d("2021-03-31")) == nil)
        // 2020-10-01 … 2020-12-31 = 92 days × 10 000 = 920 000, halved.
        let split = try splitOf(world, "p1", from: "2020-04-01", to: "2021-03-31")
        #expect(split.totalPence == 920_000)
        #expect(split.pence("a") == 460_000 && split.pence("b") == 460_000)
        #expect(split.councils.allSatisfy { $0.daysBorne == 92 })
        // The end day is the first day without cost: a period of exactly that day has none.
        #expect(try Splits.split(world, post: "p1", from: d("2020-12-31"), to: d("2021-01-01"))?.totalPence == 10_000)
    }

    @Test func rescindedNoticeLeavesTheShareWithTheCouncil() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], notice: NoticeRule(months: 1, alignment: .none))
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 3_650_000, on: "2021-04-01")  // 10 000 a day
        l.apportion("p1", ["a": 1, "b": 1], on: "2021-04-01")
        let notice = l.notice("b", .agreement("agr"), on: "2021-05-10")  // last day 2021-06-10
        l.rescind("b", notice: notice, on: "2021-06-01")
        let split = try splitOf(l.world(), "p1", from: "2021-04-01", to: "2022-03-31")
        #expect(split.penceByCouncil == ["a": 1_825_000, "b": 1_825_000, "(unapportioned)": 0])

        // Known before the rescission: b's half from 2021-06-11 on (294 days × 5 000) is unapportioned.
        let before = try splitOf(l.world(Viewpoint(knownAt: notice)), "p1", from: "2021-04-01", to: "2022-03-31")
        #expect(before.penceByCouncil == ["a": 1_825_000, "b": 355_000, "(unapportioned)": 1_470_000])
    }

    /// Exactness has a limit: many mid-year changes of large, coprime weight sums need a
    /// common denominator beyond Int128. That is reported for the post, never rounded away.
    @Test func overflowIsReportedNotRounded() throws {
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 49_999_999, onCost: 4999, on: "2023-04-01")
        // Weight sums 999 983, 999 979, 999 961, … (primes near 10^6), one a month.
        let primes: [Int64] = [999_983, 999_979, 999_961, 999_959, 999_953, 999_931, 999_917, 999_907]
        for (index, prime) in primes.enumerated() {
            l.apportion("p1", ["a": prime - 1, "b": 1], on: "2023-\(index < 6 ? "0" : "")\(index + 4)-01")
        }
        #expect {
            try Splits.split(l.world(), post: "p1", from: d("2023-04-01"), to: d("2024-03-31"))
        } throws: { error in
            (error as? Splits.Failure)?.post == "p1"
        }
        // A month at a time there is no difficulty.
        #expect(try splitOf(l.world(), "p1", from: "2023-04-01", to: "2023-04-30").totalPence > 0)
    }

    @Test func retractedEndingRestoresTheCost() throws {
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 3_650_000, on: "2021-04-01")  // 10 000 a day
        l.apportion("p1", ["a": 1], on: "2021-04-01")
        let ended = l.end("p1", on: "2021-07-01")
        // 2021-04-01 … 06-30 = 91 days.
        #expect(try splitOf(l.world(), "p1", from: "2021-04-01", to: "2022-03-31").pence("a") == 910_000)
        l.retract(ended, on: "2021-07-02")
        #expect(try splitOf(l.world(), "p1", from: "2021-04-01", to: "2022-03-31").pence("a") == 3_650_000)
        // A second ending recorded later still ends it.
        l.end("p1", on: "2022-01-01")  // 2021-04-01 … 12-31 = 275 days
        #expect(try splitOf(l.world(), "p1", from: "2021-04-01", to: "2022-03-31").pence("a") == 2_750_000)
    }

    @Test func computeListsEveryPostWithCostInIdOrder() throws {
        var l = LedgerBuilder()
        l.post("zz", agreement: "agr", employer: "a")
        l.post("aa", agreement: "agr", employer: "a")
        l.post("mm", agreement: "agr", employer: "a")  // never costed: not listed
        l.cost("zz", 365_000, on: "2021-04-01")
        l.cost("aa", 730_000, on: "2021-04-01")
        let splits = try Splits.compute(l.world(), from: d("2021-04-01"), to: d("2022-03-31"))
        #expect(splits.map(\.post) == ["aa", "zz"])
        #expect(splits.map(\.unapportionedPence) == [730_000, 365_000])
        let one = try Splits.compute(l.world(), from: d("2021-04-01"), to: d("2022-03-31"), post: "zz")
        #expect(one.map(\.post) == ["zz"])
    }
}
