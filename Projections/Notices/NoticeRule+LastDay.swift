import Events

extension NoticeRule {
    /// A council's last day as a party when it serves notice on `served`
    /// (SPEC §5.2): the corresponding date `months` later, or the last day of
    /// a shorter month; then moved to the month's end or the next 31 March
    /// if the rule is aligned.
    public func lastDay(servedOn served: CalendarDate) -> CalendarDate {
        let corresponding = served.adding(months: months)
        switch alignment {
        case .none:
            return corresponding
        case .monthEnd:
            return corresponding.endOfMonth
        case .financialYearEnd:
            return FinancialYear(containing: corresponding).last
        }
    }
}
