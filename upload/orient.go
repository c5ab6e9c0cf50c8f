package upload

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// jpegOrientation is the EXIF orientation (1–8) of a JPEG, or 1 when it
// has none or it cannot be read. Cameras and phones store pixels as the
// sensor saw them and record in this tag how to turn them upright; since
// re-encoding drops the tag, the pixels are turned before encoding.
func jpegOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // SOS, EOI: no more headers
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 of IFD0 of a TIFF structure.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[off:]))
	for k := range count {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if o := int(bo.Uint16(t[e+8:])); 1 <= o && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orient returns m turned upright according to EXIF orientation o.
// A grey image stays grey; any other becomes RGBA.
func orient(m image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return m
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	var pix []byte
	bpp := 4
	if g, ok := m.(*image.Gray); ok {
		bpp = 1
		c := image.NewGray(image.Rect(0, 0, w, h))
		draw.Draw(c, c.Rect, g, b.Min, draw.Src)
		pix = c.Pix
	} else {
		c := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(c, c.Rect, m, b.Min, draw.Src)
		pix = c.Pix
	}
	dw, dh := w, h
	if o >= 5 { // the transposing orientations swap the sides
		dw, dh = h, w
	}
	out := make([]byte, len(pix))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // turned 90° counter-clockwise: turn clockwise
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // turned 90° clockwise: turn counter-clockwise
				dx, dy = y, w-1-x
			}
			copy(out[(dy*dw+dx)*bpp:][:bpp], pix[(y*w+x)*bpp:][:bpp])
		}
	}
	r := image.Rect(0, 0, dw, dh)
	if bpp == 1 {
		return &image.Gray{Pix: out, Stride: dw, Rect: r}
	}
	return &image.RGBA{Pix: out, Stride: 4 * dw, Rect: r}
}
