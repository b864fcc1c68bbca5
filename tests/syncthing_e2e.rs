//! A clinic's shared folder for real: two Syncthing instances on loopback share one
//! folder; summaries and supervision records are written on both sides, and the review on
//! each side sees the same statuses, with no half-synced file ever listed.
//!
//! Skipped (with a message) where `syncthing` is not installed; CI installs it.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use holdspace::summary::{parse_summary, to_ron};

const V1: &str = include_str!("fixtures/summary-v1.ron");
/// How long one side may take to see what the other wrote.
const SYNC_WITHIN: Duration = Duration::from_secs(60);

/// A Syncthing instance, stopped when dropped.
struct Peer {
    home: PathBuf,
    folder: PathBuf,
    child: Option<Child>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn syncthing_installed() -> bool {
    Command::new("syncthing")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

fn generate(root: &Path, name: &str) -> (PathBuf, String) {
    let home = root.join(format!("{name}-home"));
    let out = Command::new("syncthing")
        .args(["generate", "--no-default-folder", "--skip-port-probing"])
        .arg(format!("--home={}", home.display()))
        .output()
        .expect("syncthing generate runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = Command::new("syncthing")
        .args(["serve", "--device-id"])
        .arg(format!("--home={}", home.display()))
        .output()
        .expect("syncthing --device-id runs");
    let id = String::from_utf8_lossy(&id.stdout).trim().to_owned();
    assert!(id.len() > 50, "a device id: {id}");
    (home, id)
}

/// The config version the installed Syncthing writes (and so reads).
fn config_version(home: &Path) -> String {
    let generated = fs::read_to_string(home.join("config.xml")).unwrap_or_default();
    generated
        .split("<configuration version=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("36")
        .to_owned()
}

/// Only loopback, no discovery, relays, NAT or reporting: nothing leaves the machine.
fn config(version: &str, folder: &Path, me: (&str, u16), other: (&str, u16)) -> String {
    let device = |id: &str, port: u16, name: &str| {
        format!(
            "<device id=\"{id}\" name=\"{name}\" compression=\"metadata\" introducer=\"false\" \
             skipIntroductionRemovals=\"false\" introducedBy=\"\"><address>tcp://127.0.0.1:{port}</address>\
             <paused>false</paused><autoAcceptFolders>false</autoAcceptFolders></device>"
        )
    };
    format!(
        "<configuration version=\"{version}\">\
         <folder id=\"clinic\" label=\"clinic\" path=\"{}\" type=\"sendreceive\" rescanIntervalS=\"2\" \
         fsWatcherEnabled=\"true\" fsWatcherDelayS=\"1\" ignorePerms=\"false\" autoNormalize=\"true\">\
         <device id=\"{}\" introducedBy=\"\"></device><device id=\"{}\" introducedBy=\"\"></device>\
         <minDiskFree unit=\"%\">0</minDiskFree></folder>\
         {}{}\
         <gui enabled=\"false\" tls=\"false\"><address>127.0.0.1:{}</address></gui>\
         <options><listenAddress>tcp://127.0.0.1:{}</listenAddress>\
         <globalAnnounceEnabled>false</globalAnnounceEnabled><localAnnounceEnabled>false</localAnnounceEnabled>\
         <relaysEnabled>false</relaysEnabled><natEnabled>false</natEnabled><urAccepted>-1</urAccepted>\
         <crashReportingEnabled>false</crashReportingEnabled><autoUpgradeIntervalH>0</autoUpgradeIntervalH>\
         <startBrowser>false</startBrowser><minHomeDiskFree unit=\"%\">0</minHomeDiskFree></options>\
         </configuration>",
        folder.display(),
        me.0,
        other.0,
        device(me.0, me.1, "me"),
        device(other.0, other.1, "other"),
        free_port(),
        me.1,
    )
}

fn start(home: &Path, folder: &Path) -> Child {
    Command::new("syncthing")
        .args(["serve", "--no-browser", "--no-restart"])
        .arg(format!("--home={}", home.display()))
        .env("STNOUPGRADE", "1")
        .env("STNODEFAULTFOLDER", "1")
        .env("HOME", home)
        .current_dir(folder)
        .stdout(fs::File::create(home.join("log.txt")).map_or_else(|_| Stdio::null(), Stdio::from))
        .stderr(Stdio::null())
        .spawn()
        .expect("syncthing starts")
}

fn peers(root: &Path) -> (Peer, Peer) {
    let (home_a, id_a) = generate(root, "a");
    let (home_b, id_b) = generate(root, "b");
    let (port_a, port_b) = (free_port(), free_port());
    let mut out = Vec::new();
    for (home, me, other, name) in [
        (home_a, (id_a.as_str(), port_a), (id_b.as_str(), port_b), "a"),
        (home_b, (id_b.as_str(), port_b), (id_a.as_str(), port_a), "b"),
    ] {
        let folder = root.join(format!("{name}-summaries"));
        fs::create_dir_all(folder.join(".stfolder")).expect("mkdir");
        let version = config_version(&home);
        fs::write(home.join("config.xml"), config(&version, &folder, me, other)).expect("config");
        let child = start(&home, &folder);
        out.push(Peer {
            home,
            folder,
            child: Some(child),
        });
    }
    let b = out.pop().expect("b");
    let a = out.pop().expect("a");
    (a, b)
}

/// Waits until `check` holds, or fails saying what did not arrive (with the end of each
/// side's log).
fn eventually(peers: [&Peer; 2], what: &str, check: impl Fn() -> bool) {
    let started = Instant::now();
    while started.elapsed() < SYNC_WITHIN {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let logs: Vec<String> = peers
        .iter()
        .map(|p| {
            let log = fs::read_to_string(p.home.join("log.txt")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        })
        .collect();
    panic!(
        "not synced within {SYNC_WITHIN:?}: {what}\n--- A ---\n{}\n--- B ---\n{}",
        logs[0], logs[1]
    );
}

fn review(peer: &Peer, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .arg("review")
        .args(args)
        .env("XDG_CACHE_HOME", peer.home.join("cache"))
        .env("XDG_CONFIG_HOME", peer.home.join("config"))
        .env("XDG_DATA_HOME", peer.home.join("data"))
        .output()
        .expect("holdspace runs")
}

fn list(peer: &Peer) -> Vec<serde_json::Value> {
    let out = review(peer, &["--list", "--json", peer.folder.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

fn records(folder: &Path, summary: &str) -> usize {
    let stem = summary.trim_end_matches(".ron");
    fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(&format!("{stem}.review.")) && name.ends_with(".ron")
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn two_machines_share_summaries_and_sign_offs_through_syncthing() {
    if !syncthing_installed() {
        eprintln!(
            "SKIPPED two_machines_share_summaries_and_sign_offs_through_syncthing: syncthing is not installed (apt-get install syncthing)"
        );
        return;
    }
    let root = tempfile::tempdir().expect("temp dir");
    let (a, b) = peers(root.path());

    // One summary written on each machine.
    let mut first = parse_summary(V1).expect("fixture");
    first.title = "Written on A".into();
    let mut second = parse_summary(V1).expect("fixture");
    second.title = "Written on B".into();
    second.session_id = "b-session".into();
    fs::write(a.folder.join("2025-03-04_1800_on-a.ron"), to_ron(&first)).expect("write");
    fs::write(b.folder.join("2025-03-05_1800_on-b.ron"), to_ron(&second)).expect("write");
    eventually([&a, &b], "each summary on the other side", || {
        a.folder.join("2025-03-05_1800_on-b.ron").is_file()
            && b.folder.join("2025-03-04_1800_on-a.ron").is_file()
    });

    // Submitted on A, signed on B, commented on A: three records, from two machines.
    let on_a = a.folder.join("2025-03-04_1800_on-a.ron");
    let on_b = b.folder.join("2025-03-04_1800_on-a.ron");
    let out = review(&a, &["--submit", on_a.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    eventually([&a, &b], "the submission on B", || {
        records(&b.folder, "2025-03-04_1800_on-a.ron") == 1
    });
    let out = review(&b, &["--sign", on_b.to_str().expect("utf-8"), "--as", "Dr. Amal"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = review(
        &a,
        &[
            "--comment-on",
            on_a.to_str().expect("utf-8"),
            "--as",
            "Nadia",
            "--comment",
            "Thanks",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // And the other summary, submitted, is returned from A.
    let second_on_a = a.folder.join("2025-03-05_1800_on-b.ron");
    let out = review(&a, &["--submit", second_on_a.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = review(
        &a,
        &[
            "--return",
            second_on_a.to_str().expect("utf-8"),
            "--as",
            "Dr. Amal",
            "--comment",
            "Add the plan",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    eventually([&a, &b], "every record on both sides", || {
        records(&a.folder, "2025-03-04_1800_on-a.ron") == 3
            && records(&b.folder, "2025-03-04_1800_on-a.ron") == 3
            && records(&b.folder, "2025-03-05_1800_on-b.ron") == 2
    });

    // The review on each side says the same, and lists only the two summaries.
    for peer in [&a, &b] {
        let rows = list(peer);
        assert_eq!(rows.len(), 2, "{rows:#?}");
        let by_file = |f: &str| rows.iter().find(|r| r["file"] == f).cloned().unwrap_or_default();
        let signed = by_file("2025-03-04_1800_on-a.ron");
        assert_eq!(signed["status"], "signed", "{signed:#?}");
        assert_eq!(signed["signed_by"], "Dr. Amal");
        assert_eq!(signed["changed_after_sign_off"], false);
        assert_eq!(by_file("2025-03-05_1800_on-b.ron")["status"], "returned");
    }

    // A change on B after the sign-off shows on A as changed.
    let mut edited = first.clone();
    edited.notes.clear();
    fs::write(&on_b, to_ron(&edited)).expect("edit on B");
    eventually([&a, &b], "the edit on A, seen as changed after sign-off", || {
        list(&a)
            .iter()
            .any(|r| r["file"] == "2025-03-04_1800_on-a.ron" && r["changed_after_sign_off"] == true)
    });
}
