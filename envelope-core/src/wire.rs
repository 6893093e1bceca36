//! Big-endian encoding helpers and a bounds-checked parser over a byte slice.
//!
//! Every structured part of an envelope (header, manifest, trailer) is read
//! whole into memory after its length was bounded, and then parsed with
//! [`Parser`], which never indexes out of range: running out of bytes is a
//! [`Error::Damaged`] naming the part being read.

use crate::error::{Error, Result};

/// Reads fields from a byte slice, front to back.
pub(crate) struct Parser<'a> {
    bytes: &'a [u8],
    /// Names the structure being parsed in error messages ("header", ...).
    context: &'static str,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(bytes: &'a [u8], context: &'static str) -> Self {
        Parser { bytes, context }
    }

    fn short(&self) -> Error {
        Error::damaged(format!("the {} ends too early", self.context))
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(self.short());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub(crate) fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    pub(crate) fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    /// A UTF-8 string with a 16-bit length prefix, at most `max` bytes.
    pub(crate) fn string(&mut self, what: &'static str, max: usize) -> Result<String> {
        let len = usize::from(self.u16()?);
        Error::check_limit(what, max as u64, len as u64)?;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::damaged(format!("{what} is not valid UTF-8")))
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Fails unless every byte was consumed: canonical encodings have no
    /// slack.
    pub(crate) fn finish(self) -> Result<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(Error::damaged(format!(
                "the {} has {} unexpected bytes at its end",
                self.context,
                self.bytes.len()
            )))
        }
    }
}

/// Appends big-endian fields to a buffer.
pub(crate) trait Put {
    fn put(&mut self, bytes: &[u8]);
    fn put_u8(&mut self, v: u8) {
        self.put(&[v]);
    }
    fn put_u16(&mut self, v: u16) {
        self.put(&v.to_be_bytes());
    }
    fn put_u32(&mut self, v: u32) {
        self.put(&v.to_be_bytes());
    }
    fn put_u64(&mut self, v: u64) {
        self.put(&v.to_be_bytes());
    }
    fn put_i64(&mut self, v: i64) {
        self.put(&v.to_be_bytes());
    }
    fn put_i16(&mut self, v: i16) {
        self.put(&v.to_be_bytes());
    }
}

impl Put for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Checks a string against its limit before it is written with a 16-bit
/// length, so the sealer never produces what the opener would refuse.
pub(crate) fn check_string(what: &'static str, value: &str, max: usize) -> Result<()> {
    Error::check_limit(what, max as u64, value.len() as u64)?;
    // The 16-bit prefix is the hard ceiling whatever `max` says.
    Error::check_limit(what, u64::from(u16::MAX), value.len() as u64)
}

/// Writes a string with a 16-bit length prefix. Call [`check_string`] first.
pub(crate) fn put_string(out: &mut Vec<u8>, value: &str) {
    let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.put_u16(len);
    out.put(&value.as_bytes()[..usize::from(len)]);
}
