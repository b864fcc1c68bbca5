//! `holdspace new`, `completions`, `man` and `themes`, driven through the real binary with
//! HOME and the config dir pointed at temporary folders.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const KINDS: [&str; 6] = [
    "support",
    "cbt",
    "skills-training",
    "process",
    "psychoeducation",
    "interpersonal",
];

struct Env {
    home: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            home: tempfile::tempdir().expect("temp home"),
        }
    }

    fn config(&self) -> std::path::PathBuf {
        self.home.path().join("config")
    }

    /// The user theme folder, as `directories` finds it through XDG_CONFIG_HOME.
    fn themes(&self) -> std::path::PathBuf {
        self.config().join("holdspace").join("themes")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_holdspace"));
        cmd.args(args)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.config())
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env_remove("NO_COLOR");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("the binary runs")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(env: &Env, file: &Path) {
    let out = env.run(&["check", file.to_str().expect("utf-8 path")]);
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "check failed for {}:\n{stdout}{}",
        file.display(),
        text(&out.stderr)
    );
    assert!(stdout.contains(": ok"), "check is not clean:\n{stdout}");
    assert!(!stdout.contains("warning"), "check warns:\n{stdout}");
}

#[test]
fn every_kind_scaffolds_a_plan_that_passes_check() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    for kind in KINDS {
        let file = dir.path().join(format!("{kind}.ron"));
        let out = env.run(&["new", kind, "-o", file.to_str().expect("utf-8")]);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        let hint = text(&out.stderr);
        assert!(
            hint.contains("Wrote") && hint.contains("holdspace check"),
            "{kind}: {hint}"
        );
        check(&env, &file);
        let written = std::fs::read_to_string(&file).expect("written");
        assert!(
            written.contains("// roster:"),
            "{kind}: the roster line is not commented out"
        );
        assert!(
            written.contains("durations") || written.contains("duration"),
            "{kind}"
        );
    }
}

#[test]
fn new_without_a_file_prints_the_default_cbt_plan() {
    let env = Env::new();
    let out = env.run(&["new"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("kind: Cbt"), "{stdout}");
    assert!(stdout.contains("\"1h30m\""), "the header explains durations");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("plan.ron");
    std::fs::write(&file, "keep me").expect("write");
    let path = file.to_str().expect("utf-8");
    let out = env.run(&["new", "support", "-o", path]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--force"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep me");
    let out = env.run(&["new", "support", "-o", path, "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    check(&env, &file);
}

#[test]
fn new_roster_passes_check_and_is_owner_only() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("roster.ron");
    let out = env.run(&["new", "--roster", "-o", file.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    check(&env, &file);
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let written = std::fs::read_to_string(&file).expect("read");
    assert!(
        written.contains("Roster(") && written.contains("fictional"),
        "{written}"
    );
}

#[test]
fn a_scaffolded_plan_with_its_roster_line_uncommented_passes_check() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("rosters")).expect("mkdir");
    let roster = dir.path().join("rosters/my-group.ron");
    let plan = dir.path().join("plan.ron");
    assert!(
        env.run(&["new", "--roster", "-o", roster.to_str().expect("utf-8")])
            .status
            .success()
    );
    assert!(
        env.run(&["new", "process", "-o", plan.to_str().expect("utf-8")])
            .status
            .success()
    );
    let source = std::fs::read_to_string(&plan).expect("read");
    let edited = source.replacen("// roster: ", "roster: ", 1);
    assert_ne!(source, edited);
    std::fs::write(&plan, edited).expect("write");
    check(&env, &plan);
}

#[test]
fn completions_mention_the_commands() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(!script.is_empty(), "{shell}");
        for command in ["run", "check", "new", "themes"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    assert!(!env.run(&["completions", "tcsh"]).status.success());
}

#[test]
fn man_prints_the_top_page() {
    let env = Env::new();
    let out = env.run(&["man"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".TH") || page.contains(".TH holdspace"),
        "{page}"
    );
    assert!(page.contains("completions"), "{page}");
}

#[test]
fn man_writes_a_page_per_command() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("man1");
    let out = env.run(&["man", "-o", out_dir.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for page in [
        "holdspace.1",
        "holdspace-run.1",
        "holdspace-new.1",
        "holdspace-themes.1",
    ] {
        let body = std::fs::read_to_string(out_dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(body.contains(".TH"), "{page}");
    }
}

#[test]
fn themes_lists_the_builtins() {
    let env = Env::new();
    let out = env.run(&["themes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    for name in ["dark", "light", "high-contrast"] {
        assert!(list.contains(name), "{name} missing:\n{list}");
    }
    assert!(!list.contains("user,"), "{list}");
}

#[test]
fn user_themes_are_listed_overriding_and_broken() {
    let env = Env::new();
    std::fs::create_dir_all(env.themes()).expect("mkdir");
    std::fs::write(env.themes().join("dark.ron"), "Theme(risk: \"#ff0000\")").expect("write");
    std::fs::write(env.themes().join("ocean.ron"), "Theme(accent: \"#0077be\")").expect("write");
    std::fs::write(env.themes().join("bad.ron"), "Theme(\n  risk: \"reddish\",\n)").expect("write");
    let out = env.run(&["themes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    let (builtins, users) = list.split_once("User themes in").expect("a user theme section");
    assert!(
        builtins.contains("dark") && builtins.contains("overridden by a user theme"),
        "{list}"
    );
    let line = |name: &str| {
        users
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no user line for {name}:\n{list}"))
            .to_owned()
    };
    assert!(line("dark").contains("user, overrides built-in"), "{list}");
    assert!(
        line("ocean").contains("user") && !line("ocean").contains("overrides"),
        "{list}"
    );
    assert!(line("bad").contains("does not load"), "{list}");
    assert!(list.contains("bad.ron:2:"), "the error names the line:\n{list}");

    // The override is what the preview draws; a broken user theme says why.
    let out = env.run(&["themes", "--preview", "ocean"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("#0077BE") || text(&out.stdout).contains("#0077be"));
    let out = env.run(&["themes", "--preview", "bad"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a colour"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn preview_draws_a_sample_console_with_and_without_colour() {
    let env = Env::new();
    let out = env
        .cmd(&["themes", "--preview", "light"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plain = text(&out.stdout);
    assert!(plain.contains("Managing Anxiety"), "{plain}");
    assert!(!plain.contains('\x1b'), "NO_COLOR output holds escapes");
    for role in ["countdown", "overtime", "risk", "selection"] {
        assert!(plain.contains(role), "the legend lacks {role}");
    }

    let out = env.run(&["themes", "--preview", "light"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let coloured = text(&out.stdout);
    assert!(coloured.contains("\x1b["), "no colour escapes");
    assert!(
        coloured.contains("38;2;"),
        "light's #rrggbb colours are sent as truecolour"
    );
    assert!(coloured.contains("Managing Anxiety"));
}

#[test]
fn an_unknown_theme_lists_the_valid_names() {
    let env = Env::new();
    let out = env.run(&["themes", "--preview", "drak"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    for name in ["dark", "light", "high-contrast"] {
        assert!(err.contains(name), "{err}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn every_subcommand_has_help() {
    let env = Env::new();
    let top = env.run(&["--help"]);
    assert!(top.status.success());
    for command in ["run", "check", "config", "new", "completions", "man", "themes"] {
        assert!(text(&top.stdout).contains(command), "--help lacks {command}");
        let out = env.run(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Usage: holdspace"), "{command}");
    }
}
