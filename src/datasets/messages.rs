//! `messages`: many small, independent messages, each encoded on its own.
//!
//! This is how users of a fixed-size Stack work: one small value per encode
//! call, each on a fresh `StackBuffer`. The leaf type is [`Header`]: in the
//! `default` mode every message's header takes one buffer, and its
//! attachments' headers one each.
//!
//! # Distributions
//!
//! * 1,000 messages per unit of scale.
//! * Encoded sizes from about 80 bytes to 3 KB with a long tail: the body
//!   has 0 to 119 words (log-uniform) for 95% of messages and 120 to 450
//!   for the rest, cut at 2,400 bytes so that every message's encoding stays
//!   under 3,000 bytes.
//! * 1 to 8 recipients (log-uniform), 0 to 4 tags, and an attachment list
//!   that is empty for 80% of messages.

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use super::text;
use crate::format::Packed;

/// One message.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Message {
    /// Fixed-size facts about the message.
    pub header: Header,
    /// Who sent it.
    pub sender: String,
    /// Who it is for.
    pub recipients: Vec<String>,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// Files sent along.
    pub attachments: Vec<Attachment>,
    /// Labels.
    pub tags: Vec<String>,
}

/// The fixed-size part of a message or attachment.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
pub struct Header {
    /// The message id.
    pub id: u64,
    /// When it was sent, in seconds since 1970.
    pub sent: u64,
    /// What kind of message it is.
    pub kind: u8,
    /// How urgent it is.
    pub priority: u8,
    /// Flags (read, starred, ...).
    pub flags: u16,
}

/// A file attached to a message.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Attachment {
    /// Fixed-size facts about the file.
    pub header: Header,
    /// The file name.
    pub name: String,
    /// The media type.
    pub mime: String,
}

/// Messages per unit of scale.
const MESSAGES: f64 = 1_000.0;

/// The body is cut at this many bytes so every message stays small.
const MAX_BODY: usize = 2_400;

const MIMES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "application/pdf",
    "text/plain",
    "text/csv",
];
const TAGS: &[&str] = &[
    "inbox",
    "work",
    "family",
    "receipts",
    "travel",
    "later",
    "important",
];

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> Vec<Message> {
    let mut random = Random::new(seed);
    let start = text::timestamp(&mut random);
    (0..super::random::scaled(MESSAGES, scale) as u64)
        .map(|id| message(&mut random, id, start + id * 37))
        .collect()
}

fn header(random: &mut Random, id: u64, sent: u64) -> Header {
    Header {
        id,
        sent,
        kind: random.below(8) as u8,
        priority: random.below(4) as u8,
        flags: random.bits() as u16,
    }
}

fn message(random: &mut Random, id: u64, sent: u64) -> Message {
    let address = |random: &mut Random| format!("{}@example.org", text::handle(random));

    // Most bodies are short notes; one in twenty is a long letter.
    let words = if random.chance(0.95) {
        random.long_tail(1, 120) - 1
    } else {
        random.long_tail(120, 450)
    } as usize;
    let mut body = text::sentence(random, words);
    if body.len() > MAX_BODY {
        let mut cut = MAX_BODY;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
    }

    let attachments = if random.chance(0.2) {
        (0..random.between(1, 3))
            .map(|at| Attachment {
                header: header(random, id * 10 + at, sent),
                name: format!("{}.{}", text::title(random, 2).replace(' ', "_"), at),
                mime: random.pick(MIMES).to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };

    let subject_words = random.between(1, 8) as usize;
    Message {
        header: header(random, id, sent),
        sender: address(random),
        recipients: (0..random.long_tail(1, 8))
            .map(|_| address(random))
            .collect(),
        subject: text::sentence(random, subject_words),
        body,
        attachments,
        tags: (0..random.long_tail(1, 5) - 1)
            .map(|_| random.pick(TAGS).to_owned())
            .collect(),
    }
}
