//! Audio framing: PCM samples → WAV bytes (whole files, or a header for a stream of unknown
//! length followed by raw PCM).

use std::io::Cursor;

/// A WAV file holding `samples` (mono, 16-bit) with real RIFF sizes.
pub fn wav_bytes(samples: &[i16], sample_rate: u32) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec(sample_rate))
            .expect("writing to memory cannot fail");
        let mut w16 = writer.get_i16_writer(samples.len() as u32);
        for &s in samples {
            w16.write_sample(s);
        }
        w16.flush().expect("writing to memory cannot fail");
        writer.finalize().expect("writing to memory cannot fail");
    }
    cursor.into_inner()
}

/// A WAV header for a stream whose length is not known yet; raw little-endian PCM follows.
pub fn streaming_header(sample_rate: u32) -> Vec<u8> {
    spec(sample_rate).into_header_for_infinite_file()
}

/// Little-endian 16-bit PCM bytes.
pub fn pcm_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// The WAV format of Loa's audio: mono, 16-bit integer PCM at `sample_rate`.
pub fn spec(sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}
