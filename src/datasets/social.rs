//! `social`: a Twitter search API response.
//!
//! The leaf type is [`Indices`], the `[start, end]` pair that places an
//! entity in a status's text: in the `default` mode every hashtag, link and
//! mention takes one buffer for it.
//!
//! # Distributions
//!
//! * 160 statuses per unit of scale, and `search_metadata`.
//! * Text: 3 to 24 words, 70% English, 22% other scripts (accented Latin,
//!   Cyrillic, Greek, Japanese, Chinese, Korean, Arabic), 8% emoji; then
//!   0 to 4 hashtags (log-uniform: most statuses have none or one), 0 to 3
//!   mentions and 0 to 2 links, each placed in the text at the code-point
//!   offsets its `indices` give.
//! * 30% of statuses are retweets carrying the original as
//!   `retweeted_status` (one level deep, as the API does); 15% reply to
//!   someone, the rest have `null` reply fields.
//! * Users: follower counts log-uniform from 1 to 10 million; 40% have no
//!   `url`; `utc_offset` and `time_zone` are `null` for 60%.

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use super::text;
use crate::format::Packed;

/// The whole response.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct SearchResponse {
    /// The statuses found.
    pub statuses: Vec<Status>,
    /// About the search itself.
    pub search_metadata: SearchMetadata,
}

/// One status (tweet).
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Status {
    /// `Wed Aug 27 13:08:45 +0000 2024`.
    pub created_at: String,
    /// The status id.
    pub id: u64,
    /// The status id as text.
    pub id_str: String,
    /// The text, with entities at their `indices`.
    pub text: String,
    /// The client that posted it, as an HTML link.
    pub source: String,
    /// Whether the text was cut.
    #[serde(default)]
    pub truncated: bool,
    /// The status this one answers.
    pub in_reply_to_status_id: Option<u64>,
    /// The same, as text.
    pub in_reply_to_status_id_str: Option<String>,
    /// The user this one answers.
    pub in_reply_to_user_id: Option<u64>,
    /// The same, as text.
    pub in_reply_to_user_id_str: Option<String>,
    /// The same user's handle.
    pub in_reply_to_screen_name: Option<String>,
    /// Who posted it.
    pub user: User,
    /// The original, when this is a retweet.
    pub retweeted_status: Option<Box<Status>>,
    /// Times retweeted.
    #[serde(default)]
    pub retweet_count: u64,
    /// Times liked.
    #[serde(default)]
    pub favorite_count: u64,
    /// Hashtags, links and mentions in the text.
    pub entities: Entities,
    /// Whether the requesting user liked it.
    #[serde(default)]
    pub favorited: bool,
    /// Whether the requesting user retweeted it.
    #[serde(default)]
    pub retweeted: bool,
    /// Set when a link may lead to sensitive content.
    pub possibly_sensitive: Option<bool>,
    /// The detected language.
    #[serde(default)]
    pub lang: String,
}

/// A user's public profile.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct User {
    /// The user id.
    pub id: u64,
    /// The user id as text.
    pub id_str: String,
    /// The display name.
    pub name: String,
    /// The handle.
    pub screen_name: String,
    /// Where they say they are.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub location: String,
    /// Their bio.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    /// Their website.
    pub url: Option<String>,
    /// Whether their statuses are private.
    #[serde(default)]
    pub protected: bool,
    /// Followers.
    #[serde(default)]
    pub followers_count: u64,
    /// Accounts followed.
    #[serde(default)]
    pub friends_count: u64,
    /// Lists they are on.
    #[serde(default)]
    pub listed_count: u64,
    /// When the account was made.
    #[serde(default)]
    pub created_at: String,
    /// Statuses liked.
    #[serde(default)]
    pub favourites_count: u64,
    /// Offset from UTC in seconds.
    pub utc_offset: Option<i64>,
    /// Their time zone's name.
    pub time_zone: Option<String>,
    /// Whether the account is verified.
    #[serde(default)]
    pub verified: bool,
    /// Statuses posted.
    #[serde(default)]
    pub statuses_count: u64,
    /// Their interface language.
    pub lang: Option<String>,
    /// Their avatar.
    #[serde(default)]
    pub profile_image_url_https: String,
}

/// The entities found in a status's text.
#[derive(Clone, Debug, Default, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Entities {
    /// `#words`.
    #[serde(default)]
    pub hashtags: Vec<Hashtag>,
    /// Links.
    #[serde(default)]
    pub urls: Vec<Link>,
    /// `@handles`.
    #[serde(default)]
    pub user_mentions: Vec<Mention>,
}

/// A `#word` in the text.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Hashtag {
    /// The word, without `#`.
    pub text: String,
    /// Where it stands in the text.
    pub indices: Indices,
}

/// A link in the text.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Link {
    /// The shortened link as it stands in the text.
    pub url: String,
    /// Where it leads.
    pub expanded_url: Option<String>,
    /// How clients show it.
    pub display_url: Option<String>,
    /// Where it stands in the text.
    pub indices: Indices,
}

/// An `@handle` in the text.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Mention {
    /// The handle, without `@`.
    pub screen_name: String,
    /// The display name.
    pub name: String,
    /// The user id.
    pub id: u64,
    /// The user id as text.
    pub id_str: String,
    /// Where it stands in the text.
    pub indices: Indices,
}

/// `[start, end)` in code points of the status text.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct Indices {
    /// The first code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
}

impl From<[u32; 2]> for Indices {
    fn from([start, end]: [u32; 2]) -> Self {
        Indices { start, end }
    }
}

impl From<Indices> for [u32; 2] {
    fn from(indices: Indices) -> Self {
        [indices.start, indices.end]
    }
}

/// About the search.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct SearchMetadata {
    /// Seconds the search took.
    #[serde(default)]
    pub completed_in: f64,
    /// The highest status id in the page.
    #[serde(default)]
    pub max_id: u64,
    /// The same, as text.
    #[serde(default)]
    pub max_id_str: String,
    /// The query for the next page; absent on the last.
    pub next_results: Option<String>,
    /// The query.
    #[serde(default)]
    pub query: String,
    /// The query to refresh this page.
    #[serde(default)]
    pub refresh_url: String,
    /// Statuses asked for.
    #[serde(default)]
    pub count: u64,
    /// The lowest status id asked for.
    #[serde(default)]
    pub since_id: u64,
    /// The same, as text.
    #[serde(default)]
    pub since_id_str: String,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// Statuses per unit of scale.
const STATUSES: f64 = 160.0;

const SOURCES: &[&str] = &[
    "<a href=\"https://mobile.example.com\" rel=\"nofollow\">Example for iPhone</a>",
    "<a href=\"https://android.example.com\" rel=\"nofollow\">Example for Android</a>",
    "<a href=\"https://web.example.com\" rel=\"nofollow\">Example Web App</a>",
];

const LANGS: &[&str] = &["en", "ja", "es", "pt", "ko", "ru", "ar", "fr", "de", "zh"];

const TAGS: &[&str] = &[
    "rust",
    "music",
    "travel",
    "food",
    "news",
    "football",
    "art",
    "photography",
    "東京",
    "café",
    "NowPlaying",
    "throwback",
    "sunset",
];

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> SearchResponse {
    let mut random = Random::new(seed);
    let count = super::random::scaled(STATUSES, scale);
    let first_id = 1_000_000_000_000_000_000 + random.below(1 << 40);

    let statuses: Vec<Status> = (0..count)
        .map(|at| {
            let id = first_id + at as u64 * 7919;
            let mut post = status(&mut random, id);
            if random.chance(0.3) {
                let original_id = id - random.between(1, 1 << 30);
                let original = status(&mut random, original_id);
                let prefix = format!("RT @{}: ", original.user.screen_name);
                post.text = format!("{prefix}{}", original.text);
                post.entities = shifted(&original.entities, prefix.chars().count() as u32);
                post.retweeted_status = Some(Box::new(original));
            }
            post
        })
        .collect();

    let max_id = statuses.iter().map(|status| status.id).max().unwrap_or(0);
    let query = format!("%23{}", random.pick(TAGS));

    SearchResponse {
        statuses,
        search_metadata: SearchMetadata {
            completed_in: (random.float(0.01, 0.2) * 1000.0).round() / 1000.0,
            max_id,
            max_id_str: max_id.to_string(),
            next_results: Some(format!("?max_id={}&q={query}&count={count}", first_id - 1)),
            query: query.clone(),
            refresh_url: format!("?since_id={max_id}&q={query}"),
            count: count as u64,
            since_id: 0,
            since_id_str: "0".to_owned(),
        },
    }
}

/// A retweet's entities: the original's, moved past the `RT @handle: `
/// prefix.
fn shifted(entities: &Entities, by: u32) -> Entities {
    let shift = |indices: Indices| Indices {
        start: indices.start + by,
        end: indices.end + by,
    };
    let mut entities = entities.clone();
    entities
        .hashtags
        .iter_mut()
        .for_each(|tag| tag.indices = shift(tag.indices));
    entities
        .urls
        .iter_mut()
        .for_each(|link| link.indices = shift(link.indices));
    entities
        .user_mentions
        .iter_mut()
        .for_each(|mention| mention.indices = shift(mention.indices));
    entities
}

fn status(random: &mut Random, id: u64) -> Status {
    let words = random.between(3, 24) as usize;
    let mut text = text::sentence(random, words);
    let mut entities = Entities::default();

    // Entities go after the words, each at the code points it occupies.
    let place = |text: &mut String, piece: &str| {
        text.push(' ');
        let start = text.chars().count() as u32;
        text.push_str(piece);
        Indices {
            start,
            end: start + piece.chars().count() as u32,
        }
    };

    for _ in 0..random.long_tail(1, 5) - 1 {
        let tag = random.pick(TAGS);
        let indices = place(&mut text, &format!("#{tag}"));
        entities.hashtags.push(Hashtag {
            text: tag.to_owned(),
            indices,
        });
    }

    for _ in 0..random.long_tail(1, 4) - 1 {
        let handle = text::handle(random);
        let indices = place(&mut text, &format!("@{handle}"));
        let user_id = random.between(1, 1 << 40);
        entities.user_mentions.push(Mention {
            screen_name: handle,
            name: text::person(random),
            id: user_id,
            id_str: user_id.to_string(),
            indices,
        });
    }

    for _ in 0..random.long_tail(1, 3) - 1 {
        let short = text::short_url(random);
        let expanded = text::url(random);
        let display = expanded
            .trim_start_matches("https://")
            .chars()
            .take(26)
            .collect();
        let indices = place(&mut text, &short);
        entities.urls.push(Link {
            url: short,
            expanded_url: Some(expanded),
            display_url: Some(display),
            indices,
        });
    }

    let reply = random.chance(0.15).then(|| {
        let user_id = random.between(1, 1 << 40);
        (
            id - random.between(1, 1 << 20),
            user_id,
            text::handle(random),
        )
    });

    Status {
        created_at: text::twitter_date(text::timestamp(random)),
        id,
        id_str: id.to_string(),
        text,
        source: random.pick(SOURCES).to_owned(),
        truncated: false,
        in_reply_to_status_id: reply.as_ref().map(|reply| reply.0),
        in_reply_to_status_id_str: reply.as_ref().map(|reply| reply.0.to_string()),
        in_reply_to_user_id: reply.as_ref().map(|reply| reply.1),
        in_reply_to_user_id_str: reply.as_ref().map(|reply| reply.1.to_string()),
        in_reply_to_screen_name: reply.map(|reply| reply.2),
        user: user(random),
        retweeted_status: None,
        retweet_count: random.long_tail(1, 50_000) - 1,
        favorite_count: random.long_tail(1, 100_000) - 1,
        entities,
        favorited: false,
        retweeted: false,
        possibly_sensitive: random.chance(0.4).then_some(false),
        lang: random.pick(LANGS).to_owned(),
    }
}

fn user(random: &mut Random) -> User {
    let id = random.between(1, 1 << 40);
    let zone = random.chance(0.4).then(|| {
        let hours = random.between(0, 24) as i64 - 12;
        (hours * 3600, text::place(random).to_owned())
    });
    let words = random.long_tail(1, 30) as usize - 1;

    User {
        id,
        id_str: id.to_string(),
        name: text::person(random),
        screen_name: text::handle(random),
        location: if random.chance(0.7) {
            text::place(random).to_owned()
        } else {
            String::new()
        },
        description: text::sentence(random, words),
        url: random.chance(0.6).then(|| text::url(random)),
        protected: false,
        followers_count: random.long_tail(1, 10_000_000),
        friends_count: random.long_tail(1, 5_000),
        listed_count: random.long_tail(1, 1_000) - 1,
        created_at: text::twitter_date(text::timestamp(random) - 5 * 365 * 86_400),
        favourites_count: random.long_tail(1, 100_000) - 1,
        utc_offset: zone.as_ref().map(|zone| zone.0),
        time_zone: zone.map(|zone| zone.1),
        verified: random.chance(0.05),
        statuses_count: random.long_tail(1, 200_000),
        lang: Some(random.pick(LANGS).to_owned()),
        profile_image_url_https: format!(
            "https://images.example.com/profile/{}/avatar_normal.jpg",
            random.bits() % 1_000_000_000
        ),
    }
}
