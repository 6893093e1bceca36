//! The opener site's app icon: a white envelope on the organisation's
//! accent colour, drawn here (so that every opener of a release and a
//! colour has the same bytes, which `sealer verify` compares) as a
//! two-colour PNG. Its drawing and encoding are part of what a release
//! renders: changing them changes every opener's bytes.

/// The icon, `size` pixels square, as PNG bytes.
pub(crate) fn png(size: u32, accent: [u8; 3]) -> Vec<u8> {
    let row_bytes = size.div_ceil(8) as usize;
    let mut pixels = Vec::with_capacity((row_bytes + 1) * size as usize);
    for y in 0..size {
        pixels.push(0); // filter: none
        let mut row = vec![0u8; row_bytes];
        for x in 0..size {
            if is_envelope(x, y, size) {
                row[x as usize / 8] |= 0x80 >> (x % 8);
            }
        }
        pixels.extend_from_slice(&row);
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    // 1 bit per pixel, indexed colour, deflate, no filter choice, no
    // interlace.
    header.extend_from_slice(&[1, 3, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    let mut palette = accent.to_vec();
    palette.extend_from_slice(&[0xFF, 0xFF, 0xFF]);
    chunk(&mut out, b"PLTE", &palette);
    chunk(&mut out, b"IDAT", &zlib_stored(&pixels));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Whether pixel (`x`, `y`) is white: the envelope's body, less the two
/// lines of its flap.
fn is_envelope(x: u32, y: u32, size: u32) -> bool {
    // In 1/64ths of the icon, centred, inside the safe zone of a maskable
    // icon (the middle 80%).
    let (x, y) = (
        i64::from(x) * 64 / i64::from(size),
        i64::from(y) * 64 / i64::from(size),
    );
    let (left, right, top, bottom) = (14, 50, 20, 44);
    if x < left || x >= right || y < top || y >= bottom {
        return false;
    }
    // The flap: two lines from the top corners down to the middle.
    let middle = (left + right) / 2;
    let flap_y = top + (x - left).min(right - 1 - x) * (bottom - top - 8) / (middle - left);
    (y - flap_y).abs() > 1
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks: a two-colour
/// icon is small enough not to need compressing.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(0xFFFF).collect();
    for (index, block) in blocks.iter().enumerate() {
        out.push(u8::from(index + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    if blocks.is_empty() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_the_standard_ones() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn the_icon_is_a_png_of_its_size_with_both_colours() {
        let icon = png(192, [0x0b, 0x53, 0x94]);
        assert!(icon.starts_with(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\xc0\0\0\0\xc0"));
        assert!(icon.ends_with(b"IEND\xae\x42\x60\x82"));
        let white = (0..192)
            .flat_map(|y| (0..192).map(move |x| (x, y)))
            .filter(|&(x, y)| is_envelope(x, y, 192))
            .count();
        assert!((192 * 192 / 8..192 * 192 / 3).contains(&white), "{white}");
    }
}
