//! What the CLI itself says, through the real binary: `--share` without an address names
//! the interface it takes, and nothing is written to a terminal that was never set up.

use std::process::{Command, Stdio};

fn run(args: &[&str]) -> (i32, String, String) {
    let data = tempfile::tempdir().expect("temp dir");
    let data_arg = data.path().to_string_lossy().into_owned();
    let output = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(args)
        .args(["--data-dir", &data_arg])
        .env("HOME", data.path())
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .stdin(Stdio::null())
        .output()
        .expect("the holdspace binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn share_without_an_address_names_the_interface_it_takes_not_every_one() {
    // No terminal here, so the console cannot start; the choice is said before that.
    let (code, stdout, stderr) = run(&["run", "--share"]);
    assert_eq!(code, 1);
    let said = stderr.lines().next().unwrap_or_default();
    assert!(said.starts_with("holdspace: sharing on "), "{stderr}");
    assert!(
        said.contains("(the default route)")
            || said.contains("no default route")
            || said.contains("cannot join"),
        "{said}"
    );
    assert!(!said.contains("0.0.0.0"), "{said}");
    assert!(stderr.contains("cannot set up the terminal"), "{stderr}");
    assert_eq!(stdout, "", "no escape sequence for a terminal never set up");
}

#[test]
fn an_explicit_share_address_is_taken_as_it_is() {
    let (code, _, stderr) = run(&["run", "--share", "127.0.0.1:0"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("sharing on"), "{stderr}");
    let (code, _, stderr) = run(&["run", "--share", "nonsense"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not ADDR:PORT"), "{stderr}");
}
