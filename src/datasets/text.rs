//! Real-looking strings: words in several scripts, names, places, URLs and
//! dates, drawn from fixed lists so every dataset stays deterministic.

use super::random::Random;

/// Common English words, for most running text.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "on",
    "that",
    "with",
    "this",
    "at",
    "from",
    "new",
    "day",
    "time",
    "people",
    "city",
    "music",
    "game",
    "today",
    "world",
    "great",
    "love",
    "check",
    "out",
    "video",
    "photo",
    "live",
    "tonight",
    "weekend",
    "morning",
    "coffee",
    "rain",
    "release",
    "update",
    "version",
    "team",
    "match",
    "season",
    "night",
    "market",
    "open",
    "station",
    "train",
    "late",
    "again",
    "really",
    "thanks",
    "everyone",
    "happy",
    "birthday",
    "concert",
    "tickets",
    "available",
    "now",
    "free",
    "read",
    "more",
    "here",
    "about",
    "just",
];

/// Words and phrases in other scripts: accented Latin, Cyrillic, Greek,
/// Japanese, Chinese, Korean and Arabic.
const WORLD: &[&str] = &[
    "café",
    "naïve",
    "über",
    "señor",
    "mañana",
    "crème brûlée",
    "São Paulo",
    "Zürich",
    "Ærø",
    "привет",
    "спасибо",
    "Москва",
    "καλημέρα",
    "Αθήνα",
    "こんにちは",
    "ありがとう",
    "東京",
    "今日は雨です",
    "新しい",
    "你好",
    "谢谢",
    "北京",
    "今天天气很好",
    "안녕하세요",
    "감사합니다",
    "서울",
    "مرحبا",
    "شكرا",
    "القاهرة",
];

/// Emoji, including ones made of several code points.
const EMOJI: &[&str] = &[
    "😀",
    "😂",
    "🎉",
    "🔥",
    "❤️",
    "👍",
    "🙏",
    "🚀",
    "☕",
    "🌧️",
    "⚽",
    "🎶",
    "👩‍💻",
    "🇯🇵",
    "🏳️‍🌈",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Bruno", "Chloé", "Dmitri", "Elif", "Fatima", "George", "Hiro", "Inés", "Jonas",
    "Kwame", "Lena", "Mei", "Nikolai", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Takeshi",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë",
];

const LAST_NAMES: &[&str] = &[
    "Silva", "Müller", "Nakamura", "Okafor", "Petrov", "García", "Kim", "Nguyen", "Andersen",
    "Rossi", "Dubois", "Kowalski", "O'Brien", "Haddad", "Chen", "Smith", "Ivanova", "Sato",
];

const PLACES: &[&str] = &[
    "Lisbon",
    "Berlin",
    "Tokyo",
    "Lagos",
    "São Paulo",
    "Toronto",
    "Reykjavík",
    "Kraków",
    "Melbourne",
    "Nairobi",
    "Seoul",
    "Montréal",
    "Mumbai",
    "Zürich",
    "Cairo",
    "Austin",
];

const DOMAINS: &[&str] = &[
    "example.com",
    "news.example.org",
    "blog.example.net",
    "shop.example.io",
    "media.example.co.uk",
    "t.example.co",
    "video.example.tv",
];

const PATH_WORDS: &[&str] = &[
    "articles",
    "2024",
    "watch",
    "status",
    "products",
    "events",
    "tickets",
    "photos",
    "live",
    "search",
    "tag",
    "music",
    "releases",
    "docs",
    "api",
    "v2",
    "index.html",
    "item",
];

const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const WEEKDAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A short name, as people give on a profile.
pub fn person(random: &mut Random) -> String {
    format!("{} {}", random.pick(FIRST_NAMES), random.pick(LAST_NAMES))
}

/// A handle built from a name: lowercase ASCII, sometimes with digits.
pub fn handle(random: &mut Random) -> String {
    let first = random.pick(FIRST_NAMES).to_lowercase();
    let ascii: String = first.chars().filter(char::is_ascii_alphabetic).collect();
    if random.chance(0.5) {
        format!("{ascii}_{}", random.below(10_000))
    } else {
        format!(
            "{ascii}{}",
            random.pick(LAST_NAMES).to_lowercase().replace('\'', "")
        )
    }
}

/// A city name, sometimes with accents.
pub fn place(random: &mut Random) -> &'static str {
    random.pick(PLACES)
}

/// `words` words of running text: mostly English, with other scripts and
/// emoji mixed in at the rates of a multilingual timeline.
pub fn sentence(random: &mut Random, words: usize) -> String {
    let mut text = String::new();
    for word in 0..words {
        if word > 0 {
            text.push(' ');
        }
        let roll = random.unit();
        let piece = if roll < 0.70 {
            random.pick(ENGLISH)
        } else if roll < 0.92 {
            random.pick(WORLD)
        } else {
            random.pick(EMOJI)
        };
        text.push_str(piece);
    }
    text
}

/// An English-only phrase of `words` words, capitalised: titles and names.
pub fn title(random: &mut Random, words: usize) -> String {
    let mut text = String::new();
    for word in 0..words {
        if word > 0 {
            text.push(' ');
        }
        let piece = random.pick(ENGLISH);
        let mut chars = piece.chars();
        if let Some(first) = chars.next() {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
    }
    text
}

/// A URL with a long-tailed path and sometimes a query.
pub fn url(random: &mut Random) -> String {
    let mut url = format!("https://{}", random.pick(DOMAINS));
    for _ in 0..random.long_tail(1, 6) {
        url.push('/');
        url.push_str(random.pick(PATH_WORDS));
    }
    if random.chance(0.3) {
        url.push_str(&format!(
            "?id={}&ref={}",
            random.bits() % 1_000_000,
            random.pick(ENGLISH)
        ));
    }
    url
}

/// A short link, as a link shortener gives.
pub fn short_url(random: &mut Random) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let code: String = (0..10).map(|_| random.pick(ALPHABET) as char).collect();
    format!("https://t.example.co/{code}")
}

/// Seconds since 1970 for a moment in 2023 or 2024.
pub fn timestamp(random: &mut Random) -> u64 {
    1_672_531_200 + random.below(2 * 365 * 86_400)
}

/// A civil date and time of day from seconds since 1970 (UTC).
fn civil(seconds: u64) -> (u64, usize, u64, u64, u64, u64, usize) {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let weekday = ((days + 3) % 7) as usize; // 1970-01-01 was a Thursday.

    // Howard Hinnant's days-to-civil, for days after 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);

    (
        year,
        month as usize,
        day,
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        weekday,
    )
}

/// `Wed Aug 27 13:08:45 +0000 2024`, as Twitter's API writes dates.
pub fn twitter_date(seconds: u64) -> String {
    let (year, month, day, hour, minute, second, weekday) = civil(seconds);
    format!(
        "{} {} {day:02} {hour:02}:{minute:02}:{second:02} +0000 {year}",
        WEEKDAYS[weekday],
        MONTHS[month - 1]
    )
}

/// `10/Oct/2024:13:55:36 +0000`, as web servers log dates.
pub fn log_date(seconds: u64) -> String {
    let (year, month, day, hour, minute, second, _) = civil(seconds);
    format!(
        "{day:02}/{}/{year}:{hour:02}:{minute:02}:{second:02} +0000",
        MONTHS[month - 1]
    )
}

/// A path on a web site, long-tailed in depth.
pub fn path(random: &mut Random) -> String {
    let mut path = String::new();
    for _ in 0..random.long_tail(1, 5) {
        path.push('/');
        path.push_str(random.pick(PATH_WORDS));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(twitter_date(0), "Thu Jan 01 00:00:00 +0000 1970");
        // 2024-02-29 12:34:56 UTC, a leap day and a Thursday.
        assert_eq!(
            twitter_date(1_709_210_096),
            "Thu Feb 29 12:34:56 +0000 2024"
        );
        assert_eq!(log_date(1_709_210_096), "29/Feb/2024:12:34:56 +0000");
    }
}
