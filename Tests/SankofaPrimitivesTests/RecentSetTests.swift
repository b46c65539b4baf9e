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

    /// A key inserted again keeps its first value and its place in the eviction order.
    @Test func recentMapKeepsTheFirstValueOfAKey() {
        var map = RecentMap<Int, String>(capacity: 2)
        let first = map.insert("a", for: 1)
        let again = map.insert("b", for: 1)
        #expect(first && !again)
        #expect(map[1] == "a" && map.count == 1)
        map.insert("c", for: 2)
        map.insert("d", for: 3)   // evicts 1, the oldest
        #expect(map[1] == nil && map[2] == "c" && map[3] == "d" && map.count == 2)
    }
}
