/// Quorum sizes (Besu `BftHelpers`).
public enum QBFTQuorum {
    /// Messages needed to prepare, commit, change round or seal a block: ⌈2n/3⌉
    /// (`calculateRequiredValidatorQuorum`). 1 of 1, 2 of 2 and 3, 3 of 4, 11 of 16, 43 of 64.
    public static func required(validatorCount n: Int) -> Int { (2 * max(0, n) + 2) / 3 }

    /// f + 1 = ⌊(n-1)/3⌋ + 1: enough ROUND-CHANGEs for a higher round that at least one honest validator is there
    /// (`calculateRequiredFutureRCQuorum`).
    public static func futureRoundChange(validatorCount n: Int) -> Int { (max(1, n) - 1) / 3 + 1 }
}
