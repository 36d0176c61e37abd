/// Money is integer pence everywhere; these helpers only convert at the edges
/// where a person reads or types pounds.
public enum Money {
    /// `12000000` → `"£120,000.00"`; negative amounts as `"-£5.00"`.
    public static func pounds(_ pence: Int64, symbol: Bool = true, grouping: Bool = true) -> String {
        let negative = pence < 0
        let magnitude = pence.magnitude
        let whole = String(magnitude / 100)
        let fraction = CalendarDate.pad(Int(magnitude % 100), 2)
        var grouped = ""
        if grouping {
            for (index, character) in whole.enumerated() {
                if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
        } else {
            grouped = whole
        }
        return (negative ? "-" : "") + (symbol ? "£" : "") + grouped + "." + fraction
    }

    /// Parses `120000`, `120,000.00`, `£120,000.5`, `-£3.20` into pence.
    /// Returns nil for anything with more than two decimal places or stray characters,
    /// because silently rounding a typed amount would change the record.
    public static func pence(parsing text: String) -> Int64? {
        var rest = Substring(text.trimmingWhitespace())
        var negative = false
        if rest.hasPrefix("-") { negative = true; rest = rest.dropFirst() }
        if rest.hasPrefix("£") { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholePart = parts.first, !wholePart.isEmpty else { return nil }
        if wholePart.contains(",") {
            let groups = wholePart.split(separator: ",", omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
        }
        let digits = wholePart.filter { $0 != "," }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 15, let pounds = Int64(digits) else {
            return nil
        }
        var pence = pounds * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int64(fraction)
            else { return nil }
            pence += fraction.count == 1 ? value * 10 : value
        }
        return negative ? -pence : pence
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
