package strict

import "strings"

// suggest returns the name in names closest to an unknown key, or "" when
// none is close: at most two edits apart (a swap of neighbours counting
// as one, letter case as none) and fewer edits than the key has letters,
// so that short keys do not match everything. On a tie the first name
// wins.
func suggest(key string, names []string) string {
	k := []rune(strings.ToLower(key))
	best, bestDist := "", 3
	for _, name := range names {
		if d := distance(k, []rune(strings.ToLower(name))); d < bestDist && d < len(k) {
			best, bestDist = name, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the
// fewest insertions, deletions, substitutions and swaps of two neighbours
// that turn a into b.
func distance(a, b []rune) int {
	// Three rows of the table: two back, one back, current.
	prev2, prev, cur := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
