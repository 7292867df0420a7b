//! Host-side decoding of the firmware's defmt output (the format strings live in the ELF).

use defmt_decoder::{DecodeError, Table};

/// The defmt table of one firmware ELF.
pub struct LogTable {
    table: Table,
}

impl LogTable {
    /// Reads the table from the ELF's `.defmt` section.
    pub fn from_elf(elf: &[u8]) -> Result<Self, String> {
        match Table::parse(elf) {
            Ok(Some(table)) => Ok(Self { table }),
            Ok(None) => Err("the ELF has no .defmt section (was it built with -Tdefmt.x?)".into()),
            Err(e) => Err(format!("cannot read the defmt table: {e}")),
        }
    }

    /// Decodes a byte stream into lines "TIMESTAMP LEVEL message" (timestamp = control step).
    pub fn decode(&self, bytes: &[u8]) -> Result<Vec<String>, String> {
        let mut decoder = self.table.new_stream_decoder();
        decoder.received(bytes);
        let mut lines = Vec::new();
        loop {
            match decoder.decode() {
                Ok(frame) => {
                    let level = frame.level().map_or("PRINT".to_string(), |l| l.as_str().to_uppercase());
                    let ts = frame.display_timestamp().map(|t| t.to_string()).unwrap_or_default();
                    lines.push(format!("{ts} {level} {}", frame.display_message()));
                }
                Err(DecodeError::UnexpectedEof) => break,
                Err(DecodeError::Malformed) => return Err(format!("malformed defmt frame after {} lines", lines.len())),
            }
        }
        Ok(lines)
    }
}
