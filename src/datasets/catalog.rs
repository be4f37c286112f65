//! `catalog`: a CITM-style event ticketing catalog (camelCase keys).
//!
//! The leaf type is [`Price`]: in the `default` mode every price of every
//! performance takes one buffer.
//!
//! # Distributions
//!
//! * 80 events and 160 performances per unit of scale; name tables of 10 to
//!   60 entries (areas, audience categories, seat categories, topics,
//!   sub-topics, venues), keyed by numeric id as text as in CITM.
//! * An event: 1 to 3 topic ids and 1 to 6 sub-topic ids; a `logo` for 60%;
//!   `description`, `subjectCode` and `subtitle` are `null`, as in CITM.
//! * A performance: 1 to 40 prices (log-uniform), 1 to 12 seat categories,
//!   each with 1 to 30 areas (log-uniform) whose `blockIds` are empty, as in
//!   CITM; `name` and `seatMapImage` are `null`.
//! * Amounts are whole cents from 5.00 to 500.00, log-uniform.

use std::collections::BTreeMap;

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use super::text;
use crate::format::Packed;

/// A name per id, as CITM keeps its tables.
pub type Names = BTreeMap<String, String>;

/// The catalog.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// Area names by id.
    #[serde(default)]
    pub area_names: Names,
    /// Audience category names by id.
    #[serde(default)]
    pub audience_sub_category_names: Names,
    /// Block names by id (empty in CITM).
    #[serde(default)]
    pub block_names: Names,
    /// Events by id.
    #[serde(default)]
    pub events: BTreeMap<String, Event>,
    /// Every performance.
    #[serde(default)]
    pub performances: Vec<Performance>,
    /// Seat category names by id.
    #[serde(default)]
    pub seat_category_names: Names,
    /// Sub-topic names by id.
    #[serde(default)]
    pub sub_topic_names: Names,
    /// Subject names by id.
    #[serde(default)]
    pub subject_names: Names,
    /// Topic names by id.
    #[serde(default)]
    pub topic_names: Names,
    /// The sub-topics of each topic.
    #[serde(default)]
    pub topic_sub_topics: BTreeMap<String, Vec<u64>>,
    /// Venue names by code.
    #[serde(default)]
    pub venue_names: Names,
}

/// An event.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// A description (`null` in CITM).
    pub description: Option<String>,
    /// The event id.
    pub id: u64,
    /// A logo path.
    pub logo: Option<String>,
    /// The name.
    pub name: String,
    /// Sub-topics.
    #[serde(default)]
    pub sub_topic_ids: Vec<u64>,
    /// A subject code (`null` in CITM).
    pub subject_code: Option<String>,
    /// A subtitle (`null` in CITM).
    pub subtitle: Option<String>,
    /// Topics.
    #[serde(default)]
    pub topic_ids: Vec<u64>,
}

/// One performance of an event.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct Performance {
    /// The event performed.
    pub event_id: u64,
    /// The performance id.
    pub id: u64,
    /// A logo path.
    pub logo: Option<String>,
    /// A name (`null` in CITM).
    pub name: Option<String>,
    /// What seats cost.
    #[serde(default)]
    pub prices: Vec<Price>,
    /// Where the seats are.
    #[serde(default)]
    pub seat_categories: Vec<SeatCategory>,
    /// A seat map (`null` in CITM).
    pub seat_map_image: Option<String>,
    /// Start, in milliseconds since 1970.
    pub start: u64,
    /// The venue's code.
    pub venue_code: String,
}

/// A price for one audience in one seat category.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// In cents.
    pub amount: u64,
    /// The audience category.
    pub audience_sub_category_id: u64,
    /// The seat category.
    pub seat_category_id: u64,
}

/// A seat category and the areas it covers.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct SeatCategory {
    /// The areas.
    #[serde(default)]
    pub areas: Vec<Area>,
    /// The seat category.
    pub seat_category_id: u64,
}

/// An area of a venue.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
#[serde(rename_all = "camelCase")]
pub struct Area {
    /// The area.
    pub area_id: u64,
    /// Blocks within it (empty in CITM).
    #[serde(default)]
    pub block_ids: Vec<u64>,
}

/// Events per unit of scale.
const EVENTS: f64 = 80.0;
/// Performances per unit of scale.
const PERFORMANCES: f64 = 160.0;

/// Ids in CITM are large numbers with a common prefix.
const ID_BASE: u64 = 338_000_000;

fn names(random: &mut Random, prefix: u64, count: u64) -> Names {
    (0..count)
        .map(|at| {
            let words = random.between(1, 4) as usize;
            (
                (ID_BASE + prefix * 100_000 + at).to_string(),
                text::title(random, words),
            )
        })
        .collect()
}

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> Catalog {
    let mut random = Random::new(seed);
    let id = |prefix: u64, at: u64| ID_BASE + prefix * 100_000 + at;

    let areas = random.between(20, 60);
    let audiences = random.between(5, 15);
    let seat_categories = random.between(10, 40);
    let topics = random.between(10, 30);
    let sub_topics = random.between(10, 60);
    let venues = random.between(3, 12);

    let area_names = names(&mut random, 1, areas);
    let audience_sub_category_names = names(&mut random, 2, audiences);
    let seat_category_names = names(&mut random, 3, seat_categories);
    let sub_topic_names = names(&mut random, 4, sub_topics);
    let topic_names = names(&mut random, 5, topics);
    let venue_names: Names = (0..venues)
        .map(|at| {
            (
                format!("PLEYEL_{at}"),
                format!("Salle {}", text::title(&mut random, 1)),
            )
        })
        .collect();

    let topic_sub_topics = (0..topics)
        .map(|topic| {
            let count = random.between(1, 5);
            let ids = (0..count)
                .map(|_| id(4, random.below(sub_topics)))
                .collect();
            (id(5, topic).to_string(), ids)
        })
        .collect();

    let event_count = super::random::scaled(EVENTS, scale) as u64;
    let events: BTreeMap<String, Event> = (0..event_count)
        .map(|at| {
            let event_id = id(9, at);
            let topic_count = random.between(1, 3);
            let sub_topic_count = random.between(1, 6);
            let words = random.between(1, 5) as usize;
            let event = Event {
                description: None,
                id: event_id,
                logo: random
                    .chance(0.6)
                    .then(|| format!("/images/UE0AAAAACEKo{:04}QAAAAVDSVRN", random.below(10_000))),
                name: text::title(&mut random, words),
                sub_topic_ids: (0..sub_topic_count)
                    .map(|_| id(4, random.below(sub_topics)))
                    .collect(),
                subject_code: None,
                subtitle: None,
                topic_ids: (0..topic_count)
                    .map(|_| id(5, random.below(topics)))
                    .collect(),
            };
            (event_id.to_string(), event)
        })
        .collect();

    let performances = (0..super::random::scaled(PERFORMANCES, scale) as u64)
        .map(|at| {
            let category_count = random.long_tail(1, 12);
            let categories: Vec<u64> = (0..category_count)
                .map(|_| id(3, random.below(seat_categories)))
                .collect();
            let prices = (0..random.long_tail(1, 40))
                .map(|_| Price {
                    amount: random.long_tail(500, 50_000),
                    audience_sub_category_id: id(2, random.below(audiences)),
                    seat_category_id: random.pick(&categories),
                })
                .collect();
            let seat_categories = categories
                .iter()
                .map(|&seat_category_id| SeatCategory {
                    areas: (0..random.long_tail(1, 30))
                        .map(|_| Area {
                            area_id: id(1, random.below(areas)),
                            block_ids: Vec::new(),
                        })
                        .collect(),
                    seat_category_id,
                })
                .collect();

            Performance {
                event_id: id(9, random.below(event_count.max(1))),
                id: id(7, at),
                logo: random
                    .chance(0.3)
                    .then(|| format!("/images/UE0AAAAACEKo{:04}QAAAAVDSVRN", random.below(10_000))),
                name: None,
                prices,
                seat_categories,
                seat_map_image: None,
                start: 1_372_700_000_000 + random.below(400) * 86_400_000,
                venue_code: format!("PLEYEL_{}", random.below(venues)),
            }
        })
        .collect();

    Catalog {
        area_names,
        audience_sub_category_names,
        block_names: Names::new(),
        events,
        performances,
        seat_category_names,
        sub_topic_names,
        subject_names: Names::new(),
        topic_names,
        topic_sub_topics,
        venue_names,
    }
}
