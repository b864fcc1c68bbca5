//! End-to-end harness: the real `holdspace` binary in a detached tmux session, driven by
//! keys and read back through `capture-pane`.
//!
//! Every [`Tui`] runs its own tmux server on a unique socket (`tmux -L <name>`), so tests
//! running in parallel never see each other. The server's config turns the status line off
//! (the pane gets the whole size) and keeps a pane after its program exits
//! (`remain-on-exit`), so the last screen can still be read. A small shell in the pane runs
//! holdspace and writes its exit status to a file (see [`Tui::exited`]).
//!
//! Nothing here sleeps for a fixed time: every wait polls the screen (or a file) every
//! 50 ms until what is expected shows up or a timeout passes, and a timeout fails with the
//! last screen.
//!
//! If tmux is not installed, [`skip_without_tmux`] prints a clear message and the tests
//! return early; CI installs it.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a wait lasts unless told otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How often a wait looks again.
pub const POLL: Duration = Duration::from_millis(50);

/// The tmux session's name inside each private server.
const SESSION: &str = "e2e";

/// The binary under test.
pub fn holdspace_bin() -> &'static str {
    env!("CARGO_BIN_EXE_holdspace")
}

/// The crate's root, for the shipped plans and rosters.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `tmux` can be run here.
pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// True (after printing a clear message) when tmux is missing: the test should return.
///
/// ```ignore
/// if e2e::skip_without_tmux("console_e2e::a_session") { return; }
/// ```
pub fn skip_without_tmux(test: &str) -> bool {
    if tmux_available() {
        return false;
    }
    eprintln!("SKIPPED {test}: tmux is not installed (install tmux to run the end-to-end tests; CI does)");
    true
}

/// Quotes a word for `sh`.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A unique name for a tmux socket or a temp file.
fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}-{}-{n}-{nanos:x}", std::process::id())
}

/// A private home for one run: HOME, XDG config and data dirs and a data dir, all in one
/// temp dir removed at the end, so nothing touches the real home.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::Builder::new()
                .prefix("holdspace-e2e-")
                .tempdir()
                .expect("a temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// Where the run keeps journals and summaries (`--data-dir`).
    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    pub fn data_arg(&self) -> String {
        self.data_dir().display().to_string()
    }

    /// HOME and the XDG dirs pointed inside the sandbox.
    pub fn env(&self) -> Vec<(String, String)> {
        let home = self.home();
        vec![
            ("HOME".into(), home.display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                home.join(".config").display().to_string(),
            ),
            (
                "XDG_DATA_HOME".into(),
                home.join(".local/share").display().to_string(),
            ),
            (
                "XDG_STATE_HOME".into(),
                home.join(".local/state").display().to_string(),
            ),
        ]
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the file's folder");
        }
        fs::write(&path, content).expect("write a sandbox file");
        path
    }

    /// Every file in the data dir's `summaries/` with this extension.
    pub fn summaries(&self, ext: &str) -> Vec<PathBuf> {
        files_with_ext(&self.data_dir().join("summaries"), ext)
    }

    /// Journals still in the journal folder (unfinished sessions).
    pub fn open_journals(&self) -> Vec<PathBuf> {
        files_with_ext(&self.data_dir().join("journal"), "journal")
    }

    /// Journals moved to the archive.
    pub fn archived_journals(&self) -> Vec<PathBuf> {
        files_with_ext(&self.data_dir().join("journal").join("archive"), "journal")
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

/// Files directly in `dir` whose name ends in `.ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// The permission bits of a file or directory.
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Polls `check` every [`POLL`] until it gives a value or `timeout` passes.
pub fn poll<T>(timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// Waits until a file exists and its text satisfies `ok`; fails with what it holds.
pub fn wait_for_file(path: &Path, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
    poll(timeout, || fs::read_to_string(path).ok().filter(|text| ok(text))).unwrap_or_else(|| {
        panic!(
            "timed out after {timeout:?} waiting for {} to hold {what}; it holds:\n{}",
            path.display(),
            fs::read_to_string(path).unwrap_or_else(|e| format!("<unreadable: {e}>"))
        )
    })
}

/// How the program in the pane is started.
#[derive(Clone)]
struct Launch {
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// Shell commands run after holdspace exits, in the same pane (e.g. to look at the tty).
    after: Option<String>,
    /// The shell writes holdspace's exit status here.
    status_file: PathBuf,
}

impl Launch {
    /// A shell runs holdspace and, once it has ended, writes its exit status to
    /// `status_file` (128+N when a signal N killed it), then runs `after`.
    ///
    /// The status goes through a file rather than tmux's `#{pane_dead_status}`: tmux 3.3
    /// sometimes never reaps a pane's process (it stays a zombie and the status stays
    /// empty), while a shell always waits for its child.
    fn command_line(&self) -> String {
        let program = std::iter::once(holdspace_bin().to_owned()).chain(self.args.iter().cloned());
        let env = self.env.iter().map(|(k, v)| format!("{k}={v}"));
        let words: Vec<String> = ["env", "-u", "TMUX"]
            .into_iter()
            .map(str::to_owned)
            .chain(env)
            .chain(program)
            .map(|w| shell_quote(&w))
            .collect();
        let status = shell_quote(&self.status_file.display().to_string());
        let mut line = format!(
            "{}; st=$?; echo $st > {status}.tmp; mv {status}.tmp {status}",
            words.join(" ")
        );
        if let Some(after) = &self.after {
            let _ = write!(line, "; echo \"[holdspace exited with $st]\"; {after}");
        }
        line
    }
}

/// `holdspace` running in a detached tmux pane of a chosen size.
pub struct Tui {
    socket: String,
    /// Holds the tmux config; removed on drop.
    conf_dir: tempfile::TempDir,
    launch: Launch,
}

impl Tui {
    /// Runs `holdspace ARGS` with extra environment `env` in a `width`×`height` pane.
    pub fn start(args: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Tui {
        Tui::launch(args, env, None, width, height)
    }

    /// Like [`Tui::start`], but a shell runs `holdspace ARGS`, then prints
    /// `[holdspace exited with N]`, then runs `after` (shell commands) in the same terminal:
    /// to see what state holdspace left the terminal in.
    pub fn start_then(args: &[&str], env: &[(&str, &str)], after: &str, width: u16, height: u16) -> Tui {
        Tui::launch(args, env, Some(after.to_owned()), width, height)
    }

    /// [`Tui::start`] with a sandbox's environment and `--data-dir` added to a `run`.
    pub fn run_in(sandbox: &Sandbox, extra_args: &[&str], width: u16, height: u16) -> Tui {
        let (args, env) = run_args(sandbox, extra_args);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Tui::start(&args, &env, width, height)
    }

    fn launch(args: &[&str], env: &[(&str, &str)], after: Option<String>, width: u16, height: u16) -> Tui {
        let conf_dir = tempfile::Builder::new()
            .prefix("holdspace-tmux-")
            .tempdir()
            .expect("a temp dir for the tmux config");
        let conf = conf_dir.path().join("tmux.conf");
        fs::write(
            &conf,
            "set -g status off\n\
             set -g remain-on-exit on\n\
             set -g default-shell /bin/sh\n\
             set -g history-limit 2000\n\
             set -g escape-time 0\n",
        )
        .expect("write the tmux config");
        let launch = Launch {
            args: args.iter().map(|s| (*s).to_owned()).collect(),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            after,
            status_file: conf_dir.path().join("exit-status"),
        };
        let tui = Tui {
            socket: unique_name("holdspace-e2e"),
            conf_dir,
            launch,
        };
        let conf = conf.display().to_string();
        let (w, h) = (width.to_string(), height.to_string());
        let command = tui.launch.command_line();
        let out = tui.tmux_raw(&[
            "-f",
            &conf,
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tui
    }

    /// Starts holdspace again in the same pane after it exited (or was killed), with other
    /// arguments and the same environment.
    pub fn respawn(&mut self, args: &[&str]) {
        self.launch.args = args.iter().map(|s| (*s).to_owned()).collect();
        let _ = fs::remove_file(&self.launch.status_file);
        // A reset terminal (a killed run may have left it in the alternate screen), a clean
        // screen and no scrollback: what the new run prints is all there is to read.
        let command = format!("printf '\\033c'; {}", self.launch.command_line());
        // The scrollback goes first: cleared after the respawn, it could take with it what
        // a quick run printed (and exited) meanwhile. `-k` in case it still runs; the pane
        // keeps its size.
        self.tmux_ok(&["clear-history", "-t", SESSION]);
        self.tmux_ok(&["respawn-pane", "-k", "-t", SESSION, &command]);
    }

    fn tmux_raw(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    /// Runs a tmux command on this server; fails the test if tmux does.
    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux_raw(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A `#{format}` of the pane.
    pub fn format(&self, format: &str) -> String {
        self.tmux_ok(&["display-message", "-p", "-t", SESSION, format])
            .trim()
            .to_owned()
    }

    /// Sends keys by their tmux names: `"Space"`, `"Right"`, `"Tab"`, `"Enter"`, `"Escape"`,
    /// `"M-r"`, `"C-c"`, or a single character such as `"q"`.
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// One key by its tmux name.
    pub fn key(&self, key: &str) {
        self.send(&[key]);
    }

    /// Types `text` literally (no key names).
    pub fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// The visible screen, one line per row, trailing spaces trimmed.
    pub fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", SESSION])
    }

    /// The screen with wrapped lines joined, for reading long output after an exit.
    pub fn screen_joined(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-J", "-t", SESSION, "-S", "-"])
    }

    /// Waits until what the pane printed since it was last (re)spawned, the lines scrolled
    /// off its top included, holds `text`; returns it. For messages printed on exit.
    pub fn wait_for_output(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} in the output"), TIMEOUT, |_| {
            self.screen_joined().contains(text)
        });
        self.screen_joined()
    }

    /// Waits until the screen holds `text`; returns that screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, TIMEOUT)
    }

    pub fn wait_for_within(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| s.contains(text))
    }

    /// Waits until the screen holds every one of `texts` at once.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?} on screen"), TIMEOUT, |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} gone from the screen"), TIMEOUT, |s| {
            !s.contains(text)
        })
    }

    /// Waits until `ok` holds for the screen; fails with `what` and the last screen.
    pub fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let found = poll(timeout, || {
            last = self.screen();
            if !ok(&last) {
                return None;
            }
            // A capture can catch the terminal halfway through drawing a frame: look once
            // more, at once, and take the screen only if it still holds.
            last = self.screen();
            ok(&last).then(|| last.clone())
        });
        found.unwrap_or_else(|| {
            panic!(
                "timed out after {timeout:?} waiting for {what}; the last screen was:\n{}\n{}",
                last,
                self.exit_note()
            )
        })
    }

    /// Ends the session as a facilitator does: `q`, `y`, `Enter` at the closing question
    /// about members never marked if it comes (leaving them "not recorded"), and `Esc` at the
    /// wrap-up (to finish later).
    pub fn end_session(&self) {
        self.key("q");
        self.wait_for("End the session now");
        self.key("y");
        let deadline = Instant::now() + TIMEOUT;
        while self.exited().is_none() {
            let screen = self.screen();
            if screen.contains("Who was here?") {
                self.key("Enter");
                self.wait_gone("Who was here?");
            } else if screen.contains("Wrap-up ·") {
                self.key("Escape");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the session did not end: no closing question, wrap-up or exit came:\n{screen}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits for `text` and the header's "✓ saved" on the same screen: whatever made `text`
    /// appear is on disk.
    pub fn wait_saved(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} with \"✓ saved\" on screen"), TIMEOUT, |s| {
            s.contains(text) && header(s).contains("✓ saved")
        })
    }

    fn exit_note(&self) -> String {
        match self.exited() {
            Some(code) => format!("(the program in the pane has exited with status {code})"),
            None => String::new(),
        }
    }

    /// The pid of the holdspace process in the pane (a child of the pane's shell).
    pub fn pid(&self) -> u32 {
        let shell: u32 = self
            .format("#{pane_pid}")
            .parse()
            .expect("tmux gives the pane's pid");
        poll(TIMEOUT, || child_named(shell, "holdspace"))
            .unwrap_or_else(|| panic!("no holdspace process under the pane's shell {shell}"))
    }

    /// Sends a signal to the holdspace process.
    pub fn signal(&self, signal: &str) {
        let pid = self.pid().to_string();
        let status = Command::new("kill")
            .args(["-s", signal, &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {signal} {pid} failed");
    }

    /// Closes the terminal under holdspace, as closing its window does: the tmux server
    /// goes, the pty with it, and holdspace gets SIGHUP with nowhere left to write.
    /// Returns holdspace's pid (it may still be ending).
    pub fn close_terminal(&self) -> u32 {
        let pid = self.pid();
        let _ = self.tmux_raw(&["kill-server"]);
        pid
    }

    /// `kill -9` the holdspace process and wait until the pane shows it is gone.
    pub fn kill9(&self) {
        self.signal("KILL");
        self.wait_exit(TIMEOUT);
    }

    /// Resizes the pane (the whole window).
    pub fn resize(&self, width: u16, height: u16) {
        self.tmux_ok(&[
            "resize-window",
            "-t",
            SESSION,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }

    /// holdspace's exit status once it has ended (128+N when a signal N killed it), or
    /// `None` while it runs.
    pub fn exited(&self) -> Option<i32> {
        fs::read_to_string(&self.launch.status_file)
            .ok()
            .and_then(|text| text.trim().parse().ok())
    }

    /// Waits until the pane's program has exited; returns its status.
    pub fn wait_exit(&self, timeout: Duration) -> i32 {
        poll(timeout, || self.exited()).unwrap_or_else(|| {
            panic!(
                "timed out after {timeout:?} waiting for holdspace to exit; the screen:\n{}",
                self.screen()
            )
        })
    }

    /// Whether the pane is in the alternate screen now.
    pub fn alternate_screen(&self) -> bool {
        self.format("#{alternate_on}") == "1"
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.tmux_raw(&["kill-server"]);
    }
}

/// The first row of a screen: the console's header.
pub fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// `run --data-dir D EXTRA…` and the sandbox's environment.
pub fn run_args(sandbox: &Sandbox, extra: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
    let mut args = vec!["run".to_owned(), "--data-dir".to_owned(), sandbox.data_arg()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    (args, sandbox.env())
}

/// A live (not zombie) child of `parent` whose command name is `name`.
fn child_named(parent: u32, name: &str) -> Option<u32> {
    fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
        let (head, rest) = stat.rsplit_once(')')?;
        let comm = head.split_once('(')?.1;
        let mut fields = rest.split_whitespace();
        let state = fields.next()?;
        let ppid: u32 = fields.next()?.parse().ok()?;
        (ppid == parent && comm == name && state != "Z").then_some(pid)
    })
}

/// Shell commands for [`Tui::start_then`] that report how the terminal was left: prints
/// `[tty: raw]` with the offending flags if canonical mode, echo or signals are still off,
/// else `[tty: sane]`.
pub const REPORT_TTY: &str = "bad=$(stty -a | tr ' ;' '\\n\\n' | grep -x -e -icanon -e -echo -e -isig | tr '\\n' ' '); \
     if [ -n \"$bad\" ]; then echo \"[tty: raw $bad]\"; else echo '[tty: sane]'; fi";

/// The glyphs of the console's big countdown (`src/ui/bigtext.rs`), to read it back.
const GLYPHS: &[(char, [&str; 5])] = &[
    ('0', ["███", "█ █", "█ █", "█ █", "███"]),
    ('1', [" ██", "  █", "  █", "  █", "  █"]),
    ('2', ["███", "  █", "███", "█  ", "███"]),
    ('3', ["███", "  █", "███", "  █", "███"]),
    ('4', ["█ █", "█ █", "███", "  █", "  █"]),
    ('5', ["███", "█  ", "███", "  █", "███"]),
    ('6', ["███", "█  ", "███", "█ █", "███"]),
    ('7', ["███", "  █", "  █", "  █", "  █"]),
    ('8', ["███", "█ █", "███", "█ █", "███"]),
    ('9', ["███", "█ █", "███", "  █", "███"]),
    (':', [" ", "█", " ", "█", " "]),
    ('+', ["   ", " █ ", "███", " █ ", "   "]),
    ('-', ["   ", "   ", "███", "   ", "   "]),
];

fn render_big(text: &str) -> Vec<Vec<char>> {
    let mut rows = vec![Vec::new(); 5];
    for (i, ch) in text.chars().enumerate() {
        let glyph = GLYPHS.iter().find(|(c, _)| *c == ch).map(|(_, g)| g);
        for (r, row) in rows.iter_mut().enumerate() {
            if i > 0 {
                row.push(' ');
            }
            if let Some(glyph) = glyph {
                row.extend(glyph[r].chars());
            }
        }
    }
    rows
}

/// The rows cut to the columns that hold anything, padded to one width.
fn trim_grid(rows: &[Vec<char>]) -> Vec<Vec<char>> {
    let filled = |c: &char| *c != ' ';
    let start = rows
        .iter()
        .filter_map(|r| r.iter().position(filled))
        .min()
        .unwrap_or(0);
    let end = rows
        .iter()
        .filter_map(|r| r.iter().rposition(filled))
        .max()
        .map_or(0, |e| e + 1);
    rows.iter()
        .map(|r| (start..end).map(|i| r.get(i).copied().unwrap_or(' ')).collect())
        .collect()
}

/// Reads the big countdown of the current segment off a console screen: `"12:05"`,
/// `"+0:03"`. It is the first five rows of the left-hand panel drawn in block characters.
pub fn big_countdown(screen: &str) -> Option<String> {
    let panel: Vec<Vec<char>> = screen
        .lines()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let end = chars
                .iter()
                .skip(1)
                .position(|c| *c == '│')
                .map_or(chars.len(), |p| p + 1);
            chars
                .get(1..end)
                .unwrap_or_default()
                .iter()
                .map(|c| if *c == '█' { '█' } else { ' ' })
                .collect()
        })
        .collect();
    let start =
        (0..panel.len().saturating_sub(4)).find(|i| panel[*i..*i + 5].iter().all(|r| r.contains(&'█')))?;
    // The countdown scales with its panel: every cell of a glyph `scale` rows and columns.
    let rows = panel[start..].iter().take_while(|r| r.contains(&'█')).count();
    let scale = (rows / 5).max(1);
    let sampled: Vec<Vec<char>> = (0..5).map(|r| panel[start + r * scale].clone()).collect();
    let target: Vec<Vec<char>> = trim_grid(&sampled)
        .into_iter()
        .map(|row| row.into_iter().step_by(scale).collect())
        .collect();
    let width = target.first().map_or(0, Vec::len);
    for sign in ["", "+", "-"] {
        for minutes in 0..100 {
            for seconds in 0..60 {
                let text = format!("{sign}{minutes}:{seconds:02}");
                let rendered = trim_grid(&render_big(&text));
                if rendered.first().map_or(0, Vec::len) == width && rendered == target {
                    return Some(text);
                }
            }
        }
    }
    None
}
