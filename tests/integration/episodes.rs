//! The episode reader (issue #17): a good extract reads; every hostile one is refused with
//! its file, line and column.

use careflow::episodes::{self, Next};

const HEADER: &str = "patient,class,service,start,end,fit,next\n";

fn read(text: &str) -> Result<episodes::Episodes, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episodes.csv");
    std::fs::write(&path, text).unwrap();
    episodes::read(&path).map_err(|e| e.to_string())
}

fn refused(text: &str) -> String {
    match read(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn a_good_extract_reads_with_spells_transfers_and_open_episodes() {
    let episodes = read(
        "# an extract\n\
         patient,class,service,start,end,fit,next,x_age_band,x_ward\n\
         P1,frail,ed,2026-04-01 08:13,2026-04-01 14:40,,acute,85+,A\n\
         P1,frail,acute,2026-04-01 14:40,2026-04-09 11:00:30,2026-04-07 10:00,exit,85+,B\n\
         P1,frail,ed,2026-05-01T10:00,,,,85+,A\n\
         \n\
         P2,adult,ed,2026-04-01 09:02, , , ,40-64,\n",
    )
    .unwrap();
    let list = episodes.episodes();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0].line, 3);
    assert_eq!(list[1].next, Some(Next::Exit));
    assert!((list[1].days().unwrap() - (7.0 + 20.0 / 24.0 + 20.5 / 1440.0)).abs() < 1e-9);
    assert!(episodes.is_arrival(0) && !episodes.is_arrival(1) && episodes.is_arrival(2));
    assert!(episodes.is_arrival(3));
    assert_eq!(list[3].end, None);
}

#[test]
fn hostile_extracts_are_refused_at_their_place() {
    let cases: &[(&str, &str)] = &[
        // Empty file, header only.
        ("", "episodes.csv"),
        (HEADER, "needs at least one episode"),
        // Unknown and missing columns.
        (
            "patient,class,service,start,end,next,ward\nP,c,s,2026-01-01 00:00,,,x\n",
            "ward",
        ),
        (
            "patient,class,service,start,next\nP,c,s,2026-01-01 00:00,\n",
            "end",
        ),
        // Bad, absurd and missing times.
        ("2026-13-01 00:00", "episodes.csv:2: column 'start'"),
        ("2026-01-01", "column 'start': expected a date-time"),
        ("0001-01-01 00:00", "from 1900 to 2200"),
        ("99999-01-01 00:00", "column 'start'"),
        (
            "patient,class,service,start,end,next\nP1,c,ward,,,\n",
            ":2: column 'start'",
        ),
    ];
    for (text, expected) in cases {
        let text = if text.contains("patient") || text.is_empty() || text.ends_with('\n') {
            (*text).to_owned()
        } else {
            format!("{HEADER}P1,c,ward,{text},,,\n")
        };
        let error = refused(&text);
        assert!(error.contains(expected), "{text:?}: {error}");
    }
    let rows: &[(&str, &str)] = &[
        // End before start.
        (
            "P1,c,ward,2026-01-02 00:00,2026-01-01 23:59,,exit",
            ":2: column 'end': expected a time at or after the episode's start",
        ),
        // Fit outside the stay.
        (
            "P1,c,ward,2026-01-02 00:00,2026-01-03 00:00,2026-01-04 00:00,exit",
            ":2: column 'fit'",
        ),
        // An ended episode without next; an open one with next.
        (
            "P1,c,ward,2026-01-02 00:00,2026-01-03 00:00,,",
            ":2: column 'next'",
        ),
        ("P1,c,ward,2026-01-02 00:00,,,exit", ":2: column 'next'"),
        // `exit` is not a service; ids with control characters.
        ("P1,c,exit,2026-01-02 00:00,,,", ":2: column 'service'"),
        ("P\u{7}1,c,ward,2026-01-02 00:00,,,", ":2: column 'patient'"),
        ("P1,,ward,2026-01-02 00:00,,,", ":2: column 'class'"),
        // Wrong number of fields.
        (
            "P1,c,ward,2026-01-02 00:00,,",
            ":2: malformed CSV: expected 7 fields",
        ),
    ];
    for (row, expected) in rows {
        let error = refused(&format!("{HEADER}{row}\n"));
        assert!(error.contains(expected), "{row}: {error}");
    }
}

#[test]
fn a_patients_episodes_must_follow_one_another() {
    // Overlapping stays of one patient.
    let error = refused(&format!(
        "{HEADER}P1,c,a,2026-01-01 00:00,2026-01-05 00:00,,b\nP1,c,b,2026-01-04 00:00,,,\n"
    ));
    assert!(error.contains(":3:") && error.contains("line 2"), "{error}");
    // The same episode twice.
    let row = "P1,c,a,2026-01-01 00:00,2026-01-05 00:00,,exit\n";
    let error = refused(&format!("{HEADER}{row}{row}"));
    assert!(error.contains(":3:"), "{error}");
    // An episode after one still open.
    let error = refused(&format!(
        "{HEADER}P1,c,a,2026-01-01 00:00,,,\nP1,c,a,2026-02-01 00:00,,,\n"
    ));
    assert!(error.contains(":3:"), "{error}");
    // Went on to b, but the next episode is at c.
    let error = refused(&format!(
        "{HEADER}P1,c,a,2026-01-01 00:00,2026-01-02 00:00,,b\nP1,c,c,2026-01-02 00:00,,,\n"
    ));
    assert!(
        error.contains(":3: column 'service'") && error.contains("'b'"),
        "{error}"
    );
    // Every problem is reported, in line order.
    let error = refused(&format!(
        "{HEADER}P1,c,a,bad,,,\nP2,c,a,2026-01-01 00:00,2025-01-01 00:00,,exit\n"
    ));
    assert_eq!(error.lines().count(), 2, "{error}");
    assert!(error.lines().next().unwrap().contains(":2:"), "{error}");
}

#[test]
fn the_declared_window_is_read_and_checked() {
    let rows = "P1,c,a,2026-01-01 00:00,2026-01-02 00:00,,exit\n";
    let episodes = read(&format!(
        "# extract from 2025-12-31 00:00\n{HEADER}{rows}# extract to 2026-01-10 00:00:00\n"
    ))
    .unwrap();
    let (from, to) = episodes.declared_window();
    assert_eq!(from.unwrap().to_string(), "2025-12-31 00:00:00");
    assert_eq!(to.unwrap().to_string(), "2026-01-10 00:00:00");
    for (text, expected) in [
        (
            format!("# extract from yesterday\n{HEADER}{rows}"),
            ":1: column 'extract from'",
        ),
        (
            format!("{HEADER}{rows}# extract to 2026-01-10 00:00\n# extract to 2026-01-11 00:00\n"),
            ":4: column 'extract to': expected one such line",
        ),
        (
            format!(
                "# extract from 2026-02-01 00:00\n# extract to 2026-01-01 00:00\n{HEADER}{rows}"
            ),
            "expected a time after the extract's start",
        ),
    ] {
        let error = refused(&text);
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn zero_length_stays_are_read_as_written() {
    let episodes = read(&format!(
        "{HEADER}P1,c,a,2026-01-01 00:00,2026-01-01 00:00,,exit\n"
    ))
    .unwrap();
    assert_eq!(episodes.episodes()[0].days(), Some(0.0));
}
