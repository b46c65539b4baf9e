import SankofaPrimitives
import Testing

@Suite("Recent set")
struct RecentSetTests {
    @Test func recentSetForgetsTheOldestFirst() {
        var set = RecentSet<Int>(capacity: 3)
        for value in [1, 2, 3] { set.insert(value) }
        #expect(set.contains(1) && set.contains(3) && set.count == 3)
        let added = set.insert(2)
        #expect(!added)   // already there: nothing is evicted
        #expect(set.contains(1))
        set.insert(4)
        #expect(!set.contains(1) && set.contains(2) && set.contains(4) && set.count == 3)
        for value in 5...100 { set.insert(value) }
        #expect(set.count == 3 && set.contains(98) && set.contains(99) && set.contains(100))
    }
}
