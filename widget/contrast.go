package widget

// MinContrast is the WCAG 2 AA contrast ratio for normal text.
const MinContrast = 4.5

// Inks are the two text colours the widget draws on its accent.
const (
	InkLight = "#ffffff"
	InkDark  = "#000000"
)

// InkFor returns the text colour for the accent color ("#rrggbb" or
// "#rgb"): white when it reaches AA contrast on the accent, else black,
// which then always does (any colour too light for white text is at least
// 4.6:1 against black). An unreadable color gets white, the ink of the
// default accent.
func InkFor(color string) string {
	l, ok := luminance(color)
	if !ok || Contrast(1, l) >= MinContrast {
		return InkLight
	}
	return InkDark
}

// Contrast is the WCAG contrast ratio of two relative luminances.
func Contrast(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// luminance returns the WCAG relative luminance of "#rrggbb" or "#rgb".
func luminance(color string) (float64, bool) {
	rgb, ok := parseHexColor(color)
	if !ok {
		return 0, false
	}
	weights := [3]float64{0.2126, 0.7152, 0.0722}
	l := 0.0
	for i, c := range rgb {
		v := float64(c) / 255
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = pow24((v + 0.055) / 1.055)
		}
		l += weights[i] * v
	}
	return l, true
}

// parseHexColor reads "#rrggbb" or "#rgb" (either case).
func parseHexColor(s string) ([3]uint8, bool) {
	var rgb [3]uint8
	if len(s) != 7 && len(s) != 4 || s[0] != '#' {
		return rgb, false
	}
	digits := s[1:]
	for i := range rgb {
		var hi, lo byte
		if len(digits) == 3 {
			hi, lo = digits[i], digits[i]
		} else {
			hi, lo = digits[2*i], digits[2*i+1]
		}
		h, ok1 := hexDigit(hi)
		l, ok2 := hexDigit(lo)
		if !ok1 || !ok2 {
			return rgb, false
		}
		rgb[i] = h<<4 | l
	}
	return rgb, true
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// ContrastOf is the WCAG contrast ratio of two colours ("#rrggbb" or
// "#rgb"), or 0 when either is unreadable.
func ContrastOf(a, b string) float64 {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0
	}
	return Contrast(la, lb)
}

// pow24 is x^2.4 for x in (0, 1]: the fifth root of x^12, by Newton's
// method from x, which lies above the root, so each step descends to it
// until one no longer does. math.Pow would link Pow, Exp, Log, Frexp and
// Ldexp into the wasm for this one use, about 5 KB brotli; a test holds
// pow24 to math.Pow.
func pow24(x float64) float64 {
	x4 := x * x * x * x
	x12 := x4 * x4 * x4
	y := x
	for i := 0; i < 100; i++ {
		y4 := y * y * y * y
		next := y - (y*y4-x12)/(5*y4)
		if !(next < y) {
			break
		}
		y = next
	}
	return y
}
