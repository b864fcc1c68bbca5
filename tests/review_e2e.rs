//! The review browser end to end: the real binary in a tmux pseudo-terminal, driven as a
//! supervisor would: open the list, filter, open a session, the series view, export, the
//! flags view, quit, and the terminal is given back.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use holdspace::summary::{SeriesInfo, parse_summary, to_ron};

const V1: &str = include_str!("fixtures/summary-v1.ron");

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A private tmux server running one command in a 120×40 pane.
struct Tui {
    socket: String,
}

impl Tui {
    fn start(socket: &str, command: &str) -> Tui {
        let tui = Tui {
            socket: socket.to_owned(),
        };
        let status = Command::new("tmux")
            .args([
                "-L",
                socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "review",
                "-x",
                "120",
                "-y",
                "40",
            ])
            .arg(command)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux started");
        // Esc must reach the program at once, not wait for a longer key sequence.
        tui.tmux(&["set-option", "-s", "escape-time", "0"]);
        tui
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "review"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "review", "-l", text]);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "review"])
    }

    /// Waits (up to 10 s) until the screen shows every one of `texts`.
    fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {texts:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn populate(dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    for n in 3..=5u32 {
        let mut s = parse_summary(V1).expect("fixture");
        s.date = format!("2025-03-{:02}", 4 + 7 * (n - 3));
        s.started = Some(format!("{}T18:00:00+06:00", s.date));
        s.title = format!("Managing Anxiety, session {n}");
        s.series = Some(SeriesInfo {
            name: s.group.clone(),
            session: n,
            of: 8,
        });
        if n > 3 {
            s.notes.clear();
            s.flags.risk = 0;
            s.flags.follow_up = 0;
        }
        fs::write(dir.join(format!("{}_1800_anxiety.ron", s.date)), to_ron(&s)).expect("write");
    }
    let mut s = parse_summary(V1).expect("fixture");
    s.group = "Thursday bereavement circle".into();
    s.title = "Living with loss".into();
    s.series = None;
    s.date = "2025-02-27".into();
    fs::write(dir.join("2025-02-27_1000_loss.ron"), to_ron(&s)).expect("write");
    fs::write(dir.join("truncated.ron"), &V1[..300]).expect("write");
}

#[test]
fn browse_filter_open_series_export_flags_and_quit() {
    if !tmux_available() {
        eprintln!(
            "SKIPPED review_e2e::browse_filter_open_series_export_flags_and_quit: tmux is not installed \
             (install tmux to run the end-to-end tests)"
        );
        return;
    }
    let sandbox = tempfile::tempdir().expect("temp dir");
    let root = sandbox.path();
    let summaries = root.join("data/summaries");
    populate(&summaries);
    let exports = root.join("exports");
    fs::create_dir_all(&exports).expect("mkdir");
    let home = root.join("home");
    let env: Vec<String> = [
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home.join(".config")),
        ("XDG_DATA_HOME", home.join(".local/share")),
        ("XDG_CACHE_HOME", home.join(".cache")),
    ]
    .iter()
    .map(|(k, v): &(&str, PathBuf)| format!("{k}={}", quote(&v.to_string_lossy())))
    .collect();
    let command = format!(
        "cd {} && env TERM=xterm-256color {} {} review {}; echo \"review exited $?\"; sleep 30",
        quote(&exports.to_string_lossy()),
        env.join(" "),
        quote(env!("CARGO_BIN_EXE_holdspace")),
        quote(&summaries.to_string_lossy()),
    );
    let socket = format!("hs-review-e2e-{}", std::process::id());
    let tui = Tui::start(&socket, &command);

    // The list: newest first, the damaged file as one error row.
    let screen = tui.wait_for(&["holdspace review › Sessions", "4 sessions · 1 unreadable"]);
    assert!(screen.contains("ERROR"), "{screen}");
    assert!(screen.contains("truncated.ron"), "{screen}");

    // Filter by text.
    tui.keys(&["/"]);
    tui.wait_for(&["Filter:"]);
    tui.type_text("bereavement");
    tui.wait_for(&["Filter: bereavement", "1 of 5"]);
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["1 shown"]);
    assert!(!screen.contains("Tuesday evening"), "{screen}");
    tui.keys(&["Escape"]);
    tui.wait_for(&["Filter cleared", "Tuesday evening"]);

    // Open session 3 of the Tuesday group.
    tui.keys(&["/"]);
    tui.type_text("2025-03-04");
    tui.keys(&["Enter"]);
    tui.wait_for(&["1 of 5"]);
    tui.keys(&["Enter"]);
    tui.wait_for(&[
        "holdspace review › Session ",
        "Managing Anxiety, session 3",
        "Segments: planned",
        "Never spoke: Joy, Arif, Kamal",
    ]);
    tui.keys(&["End"]);
    tui.wait_for(&["#risk (2)"]);

    // The group's series.
    tui.keys(&["g"]);
    tui.wait_for(&[
        "Group: Tuesday evening anxiety group",
        "3 sessions, 2025-03-04 to 2025-03-18",
        "attended",
    ]);

    // Export the group to a file named in the prompt.
    tui.keys(&["e"]);
    tui.wait_for(&["Export to (.html or .md):"]);
    let target = exports.join("tuesday.html");
    tui.keys(&["C-u"]);
    tui.type_text(&target.to_string_lossy());
    tui.keys(&["Enter"]);
    tui.wait_for(&["Exported to"]);
    let html = fs::read_to_string(&target).expect("the export was written");
    assert!(html.contains("<h1>Tuesday evening anxiety group</h1>"));
    assert!(html.contains("<svg"));

    // Export the session with the default name, into the data dir's exports (made then,
    // owner-only), where `holdspace purge` finds it.
    tui.keys(&["Escape"]);
    tui.wait_for(&["holdspace review › Session ", "#risk (2)"]);
    tui.keys(&["e"]);
    tui.wait_for(&["exports/2025-03-04_1800_anxiety.html"]);
    tui.keys(&["Enter"]);
    tui.wait_for(&["Exported to", "2025-03-04_1800_anxiety.html"]);
    let data_exports = home.join(".local/share/holdspace/exports");
    let exported = data_exports.join("2025-03-04_1800_anxiety.html");
    assert!(exported.is_file());
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&exported), 0o600);
    assert_eq!(mode(&data_exports), 0o700);

    // Every flag; Enter opens its session.
    tui.keys(&["F"]);
    tui.wait_for(&["holdspace review › Flags", "flagged notes:", "RISK"]);
    tui.keys(&["Enter"]);
    tui.wait_for(&["holdspace review › Session ", "Never spoke"]);

    // Help, then quit: the terminal comes back.
    tui.keys(&["?"]);
    tui.wait_for(&["Review keys"]);
    tui.keys(&["Escape", "q"]);
    let screen = tui.wait_for(&["review exited 0"]);
    assert!(
        !screen.contains("holdspace review ›"),
        "the alternate screen is gone:\n{screen}"
    );
    let listing: Vec<_> = fs::read_dir(&summaries)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        listing.len(),
        5,
        "nothing written beside the summaries: {listing:?}"
    );
}

#[test]
fn the_list_follows_the_folder_and_sigterm_gives_the_terminal_back() {
    if !tmux_available() {
        eprintln!("SKIPPED review_e2e::the_list_follows_the_folder: tmux is not installed");
        return;
    }
    let sandbox = tempfile::tempdir().expect("temp dir");
    let root = sandbox.path();
    let summaries = root.join("summaries");
    populate(&summaries);
    let home = root.join("home");
    let command = format!(
        "env TERM=xterm-256color HOME={home} XDG_CACHE_HOME={home}/.cache XDG_CONFIG_HOME={home}/.config \
         {bin} review {dir}; echo \"review exited $?\"; sleep 30",
        home = quote(&home.to_string_lossy()),
        bin = quote(env!("CARGO_BIN_EXE_holdspace")),
        dir = quote(&summaries.to_string_lossy()),
    );
    let socket = format!("hs-review-watch-{}", std::process::id());
    let tui = Tui::start(&socket, &command);
    tui.wait_for(&["4 sessions · 1 unreadable"]);

    // A summary saved while the list is open appears; one damaged after opening shows why.
    let mut s = parse_summary(V1).expect("fixture");
    s.group = "Friday art therapy".into();
    fs::write(summaries.join("2025-03-21_1000_art.ron"), to_ron(&s)).expect("write");
    tui.wait_for(&["5 sessions · 1 unreadable", "Friday art ther"]);
    fs::write(summaries.join("2025-02-27_1000_loss.ron"), "Summary(version: 1,").expect("write");
    let screen = tui.wait_for(&["4 sessions · 2 unreadable", "2025-02-27_1000_loss.ron"]);
    assert!(!screen.contains("Thursday bereavement"), "{screen}");

    // SIGTERM ends the browser through its loop: the terminal is restored.
    let shell = tui.tmux(&["display-message", "-p", "-t", "review", "#{pane_pid}"]);
    let Ok(children) = Command::new("ps")
        .args(["-o", "pid=", "--ppid", shell.trim()])
        .output()
    else {
        eprintln!("SKIPPED the SIGTERM part of review_e2e: `ps` is not installed");
        return;
    };
    let pid = String::from_utf8_lossy(&children.stdout).trim().to_owned();
    assert!(!pid.is_empty(), "the review runs under the pane's shell");
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    let screen = tui.wait_for(&["review exited 143"]);
    assert!(!screen.contains("holdspace review ›"), "{screen}");
    assert!(screen.contains("stopped by SIGTERM"), "{screen}");
}
