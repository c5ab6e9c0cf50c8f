package distbuild

// runtimeSizes changes two of the Go runtime's tunings. Both are sized for
// servers, and a page's linear memory never gives back what they take
// (docs/design.md, "Memory"):
//
//   - The heap keeps, for each of its size classes, four sets of spans
//     (partly used and full, swept and not), each a spine of 256 pointers
//     (2 KB) and blocks of 512 (4 KB) that a set holds while it has a
//     span, then gives back to a pool that never shrinks. The widget uses
//     some fifty classes with a span or two in each: 1 MB of the page's
//     memory after a long visit was these sets, nearly all of it empty.
//     With 16 and 64 entries they took 0.9 MB less on the bench's visit.
//   - After each collection the next one waits until the heap has grown
//     by at least 1 MiB, whatever GOGC says, so that the sweeper has room
//     (on many cores, sweeping runs beside the program). The widget's live
//     heap is a few hundred KB, so the heap reached its live size plus
//     1 MiB before each collection, and the page kept that high mark for
//     good. 256 KiB lets GOGC and the minimum heap decide, as for a heap
//     of a few MB.
//
// The constants are only sizes, read where the runtime allocates the sets
// and where it sets the next collection's goal. The sweeper's pacing
// takes 1 MiB off that distance as a margin, so with 256 KiB it sweeps
// what is left within the next page allocated, as it already did for a
// live heap this small.
var runtimeSizes = toolchainPatch{
	name:    "the runtime's span-set and sweep sizes",
	without: "about 1 MB more linear memory after a long visit",
	edits: []sourceEdit{
		{"runtime/mspanset.go", "\tspanSetBlockEntries = 512 ", "\tspanSetBlockEntries = 64 "},
		{"runtime/mspanset.go", "\tspanSetInitSpineCap = 256 ", "\tspanSetInitSpineCap = 16 "},
		{"runtime/mgc.go", "\tsweepMinHeapDistance = 1024 * 1024\n", "\tsweepMinHeapDistance = 256 * 1024\n"},
	},
}
