//! `log`: web server access log entries (the combined log format, parsed).
//!
//! The leaf type is [`Address`], the client's IP address: in the `default`
//! mode every entry's address takes one buffer.
//!
//! # Distributions
//!
//! * 2,600 entries per unit of scale, one to a few seconds apart.
//! * Clients: 85% IPv4, 15% IPv6, drawn from a pool of 200 addresses so
//!   some clients recur, as real traffic does.
//! * `identity` is almost always absent (`-`); `user` is set for 10%.
//! * Requests: `GET` 85%, `POST` 10%, others 5%; paths of 1 to 5 segments,
//!   log-uniform; a query string on 20%.
//! * Status: 200 for 80%, then 304, 404, 301, 500, 403. Size: log-uniform
//!   from 1 byte to 2 MB, absent for 304.
//! * `referer` absent for 40%; a user agent from a small set of real-looking
//!   strings.

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use super::text;
use crate::format::Packed;

/// An access log.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Log {
    /// The entries, oldest first.
    pub entries: Vec<Entry>,
}

/// One request.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Entry {
    /// The client.
    pub address: Address,
    /// The RFC 1413 identity, almost never known.
    pub identity: Option<String>,
    /// The authenticated user.
    pub user: Option<String>,
    /// `10/Oct/2024:13:55:36 +0000`.
    pub date: String,
    /// The request line.
    pub request: String,
    /// The response status.
    pub status: u16,
    /// Bytes sent, when any.
    pub size: Option<u64>,
    /// The referring page.
    pub referer: Option<String>,
    /// The client software.
    pub agent: String,
}

/// An IPv4 or IPv6 address.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
pub struct Address {
    /// 4 or 6.
    pub version: u8,
    /// The high 64 bits of an IPv6 address; 0 for IPv4.
    pub high: u64,
    /// The low 64 bits; an IPv4 address in the low 32.
    pub low: u64,
}

/// Entries per unit of scale.
const ENTRIES: f64 = 2_600.0;

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
];

const STATUSES: &[(u16, f64)] = &[
    (200, 0.80),
    (304, 0.07),
    (404, 0.06),
    (301, 0.03),
    (500, 0.02),
    (403, 0.02),
];

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> Log {
    let mut random = Random::new(seed);
    let clients: Vec<Address> = (0..200).map(|_| address(&mut random)).collect();
    let mut now = text::timestamp(&mut random);

    let entries = (0..super::random::scaled(ENTRIES, scale))
        .map(|_| {
            now += random.long_tail(1, 8) - 1;
            entry(&mut random, &clients, now)
        })
        .collect();

    Log { entries }
}

fn address(random: &mut Random) -> Address {
    if random.chance(0.85) {
        Address {
            version: 4,
            high: 0,
            low: random.bits() & 0xffff_ffff,
        }
    } else {
        Address {
            version: 6,
            high: 0x2001_0db8_0000_0000 | (random.bits() & 0xffff_ffff),
            low: random.bits(),
        }
    }
}

fn entry(random: &mut Random, clients: &[Address], now: u64) -> Entry {
    let method = match random.unit() {
        roll if roll < 0.85 => "GET",
        roll if roll < 0.95 => "POST",
        _ => random.pick(&["HEAD", "PUT", "DELETE", "OPTIONS"]),
    };
    let mut target = text::path(random);
    if random.chance(0.2) {
        target.push_str(&format!("?page={}", random.long_tail(1, 500)));
    }

    let mut roll = random.unit();
    let status = STATUSES
        .iter()
        .find(|&&(_, share)| {
            roll -= share;
            roll < 0.0
        })
        .map_or(200, |&(status, _)| status);

    Entry {
        address: random.pick(clients),
        identity: random.chance(0.01).then(|| "ident".to_owned()),
        user: random.chance(0.1).then(|| text::handle(random)),
        date: text::log_date(now),
        request: format!("{method} {target} HTTP/1.1"),
        status,
        size: (status != 304).then(|| random.long_tail(1, 2_000_000)),
        referer: random.chance(0.6).then(|| text::url(random)),
        agent: random.pick(AGENTS).to_owned(),
    }
}
