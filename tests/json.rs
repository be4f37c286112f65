//! Loading users' JSON documents of the public formats.

use musli_alloc_bench::datasets::{Dataset, Shape, load_json};

fn file(text: &str) -> tempfile_like::File {
    tempfile_like::File::new(text)
}

/// A file in the target directory that removes itself.
mod tempfile_like {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct File(PathBuf);

    impl File {
        pub fn new(text: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
            let path = dir.join(format!(
                "json-{}-{}.json",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::write(&path, text).unwrap();
            File(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for File {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[test]
fn geojson_with_unknown_fields_nulls_and_altitudes_loads() {
    let geojson = file(
        r#"{"type": "FeatureCollection", "bbox": [0, 0, 1, 1],
            "features": [
              {"type": "Feature", "id": 7,
               "properties": {"name": "Île", "pop": 12, "capital": true, "note": null},
               "geometry": {"type": "Polygon", "coordinates": [[[0, 0, 5], [1, 0], [1, 1], [0, 0]]]}},
              {"type": "Feature", "properties": null, "geometry": null}
            ]}"#,
    );
    let Dataset::Geo(collection) = load_json(geojson.path(), None).unwrap() else {
        panic!("detected as geo")
    };
    assert_eq!(collection.features.len(), 2);
    let first = &collection.features[0];
    assert_eq!(first.properties["name"], "Île");
    assert_eq!(first.properties["pop"], "12");
    assert_eq!(first.properties["capital"], "true");
    assert!(!first.properties.contains_key("note"));
    let ring = &first.geometry.as_ref().unwrap().coordinates[0];
    assert_eq!((ring[0].x, ring[0].y, ring.len()), (0.0, 0.0, 4));
    assert!(collection.features[1].geometry.is_none());
}

#[test]
fn a_twitter_response_with_nulls_loads() {
    let twitter = file(
        r#"{"statuses": [{
              "created_at": "Sun Aug 31 00:29:15 +0000 2014", "id": 505874924095815681,
              "id_str": "505874924095815681", "text": "@aym0566x \n\n名前:前田あゆみ", "source": "web",
              "truncated": false, "in_reply_to_status_id": null, "in_reply_to_status_id_str": null,
              "in_reply_to_user_id": 866260188, "in_reply_to_user_id_str": "866260188",
              "in_reply_to_screen_name": "aym0566x",
              "user": {"id": 1186275104, "id_str": "1186275104", "name": "AYUMI", "screen_name": "ayuu0123",
                       "location": null, "description": "", "url": null, "followers_count": 262,
                       "utc_offset": null, "time_zone": null, "lang": "ja", "following": false},
              "geo": null, "coordinates": null, "place": null, "contributors": null,
              "retweet_count": 0, "favorite_count": 0,
              "entities": {"hashtags": [], "symbols": [], "urls": [],
                           "user_mentions": [{"screen_name": "aym0566x", "name": "前田あゆみ",
                                              "id": 866260188, "id_str": "866260188", "indices": [0, 9]}]},
              "favorited": false, "retweeted": false, "lang": "ja"}],
            "search_metadata": {"completed_in": 0.087, "max_id": 505874924095815681,
                                "query": "%E4%B8%80", "count": 100, "since_id": 0}}"#,
    );
    let Dataset::Social(response) = load_json(twitter.path(), None).unwrap() else {
        panic!("detected as social")
    };
    let status = &response.statuses[0];
    assert_eq!(status.user.location, "");
    assert_eq!(status.entities.user_mentions[0].indices.end, 9);
    assert!(status.retweeted_status.is_none());
    assert!(response.search_metadata.next_results.is_none());
}

#[test]
fn a_citm_catalog_loads_by_flag() {
    let citm = file(
        r#"{"areaNames": {"205705993": "Arrière-scène central"}, "audienceSubCategoryNames": {},
            "blockNames": {}, "events": {"138586341": {"description": null, "id": 138586341,
              "logo": null, "name": "30th Anniversary Tour", "subTopicIds": [337184269],
              "subjectCode": null, "subtitle": null, "topicIds": [324846099]}},
            "performances": [{"eventId": 138586341, "id": 339887544, "logo": null, "name": null,
              "prices": [{"amount": 90250, "audienceSubCategoryId": 337100890, "seatCategoryId": 338937295}],
              "seatCategories": [{"areas": [{"areaId": 205705999, "blockIds": []}], "seatCategoryId": 338937295}],
              "seatMapImage": null, "start": 1372701600000, "venueCode": "PLEYEL_PLEYEL"}],
            "seatCategoryNames": {}, "subTopicNames": {}, "subjectNames": {}, "topicNames": {},
            "topicSubTopics": {"324846099": [337184269]}, "venueNames": {"PLEYEL_PLEYEL": "Salle Pleyel"}}"#,
    );
    let Dataset::Catalog(catalog) = load_json(citm.path(), Some(Shape::Catalog)).unwrap() else {
        panic!("loaded as catalog")
    };
    assert_eq!(catalog.performances[0].prices[0].amount, 90250);
    assert_eq!(catalog.area_names["205705993"], "Arrière-scène central");
}

#[test]
fn a_file_of_another_shape_is_generic_json_unless_a_shape_is_given() {
    let other = file(r#"{"hello": "world"}"#);
    let loaded = load_json(other.path(), None).unwrap();
    assert_eq!(loaded.shape(), Shape::Json);

    let forced = load_json(other.path(), Some(Shape::Geo))
        .unwrap_err()
        .to_string();
    assert!(
        forced.starts_with(&other.path().display().to_string()),
        "{forced}"
    );
    assert!(
        forced.contains("not a GeoJSON FeatureCollection"),
        "{forced}"
    );
}

#[test]
fn malformed_and_missing_files_are_errors_not_panics() {
    let broken = file("{\"features\": [");
    let error = load_json(broken.path(), None).unwrap_err().to_string();
    assert!(error.contains("not valid JSON"), "{error}");

    let missing = std::path::Path::new("/nonexistent/dir/file.json");
    let error = load_json(missing, None).unwrap_err().to_string();
    assert!(error.contains("cannot read it"), "{error}");

    let multipolygon = file(
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}},
            {"type": "Feature", "properties": {},
            "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [0, 0]]]]}}]}"#,
    );
    // Detected, it is a document of another shape; as `geo`, it is refused.
    let detected = load_json(multipolygon.path(), None).unwrap();
    assert_eq!(detected.shape(), Shape::Json);
    let error = load_json(multipolygon.path(), Some(Shape::Geo))
        .unwrap_err()
        .to_string();
    assert!(error.contains("\"MultiPolygon\""), "{error}");
}
