//! `holdspace themes [--preview NAME]`: list the built-in and user themes, or draw a
//! sample console in one of them, in the terminal's real colours.
//!
//! A user theme is `NAME.ron` in the config dir's `themes/` folder; one with a built-in
//! name overrides the built-in, exactly as `holdspace run --theme NAME` resolves it.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::text::Span;

use crate::keymap::Keymap;
use crate::theme::{self, Theme};
use crate::ui::{self, View};

/// The preview's size when standard output is not a terminal.
const DEFAULT_SIZE: (u16, u16) = (100, 30);

/// One `NAME.ron` in the user's theme folder, and whether it loads.
#[derive(Debug)]
pub struct UserTheme {
    pub name: String,
    pub path: PathBuf,
    pub error: Option<String>,
}

/// The user's theme folder: `themes/` in the config dir.
pub fn user_dir() -> Option<PathBuf> {
    crate::storage::config_dir().map(|dir| dir.join("themes"))
}

fn builtin_names() -> impl Iterator<Item = &'static str> {
    theme::BUILTIN.iter().map(|(name, _)| *name)
}

/// Every `*.ron` file in `dir`, sorted by name, each parsed to report whether it loads.
pub fn user_themes(dir: &Path) -> Vec<UserTheme> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<UserTheme> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron") && path.is_file())
        .filter_map(|path| {
            let name = path.file_stem()?.to_string_lossy().into_owned();
            let error = theme::load_theme_file(&path).err().map(|e| e.to_string());
            Some(UserTheme { name, path, error })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The listing `holdspace themes` prints.
pub fn listing(user_dir: Option<&Path>) -> String {
    let users = user_dir.map(user_themes).unwrap_or_default();
    let overridden = |name: &str| users.iter().any(|u| u.name == name);
    let width = builtin_names()
        .map(str::len)
        .chain(users.iter().map(|u| u.name.chars().count()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = String::from("Built-in themes:\n");
    for name in builtin_names() {
        let note = if overridden(name) {
            "built-in, overridden by a user theme"
        } else {
            "built-in"
        };
        let _ = writeln!(out, "  {name:width$}{note}");
    }
    match user_dir {
        None => out.push_str("\nThis platform has no config dir, so there are no user themes.\n"),
        Some(dir) if users.is_empty() => {
            let _ = writeln!(
                out,
                "\nNo user themes. Add one as {}: a Theme( … ) naming only the roles to change \
                 (the rest come from dark); a built-in's name overrides it.",
                dir.join("NAME.ron").display()
            );
        }
        Some(dir) => {
            let _ = writeln!(out, "\nUser themes in {}:", dir.display());
            for user in &users {
                let mut note = String::from("user");
                if builtin_names().any(|name| name == user.name) {
                    note.push_str(", overrides built-in");
                }
                if user.error.is_some() {
                    note.push_str(", does not load");
                }
                let _ = writeln!(out, "  {:width$}{note}", user.name);
                if let Some(error) = &user.error {
                    for line in error.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
        }
    }
    out.push_str(
        "\nUse one with `holdspace run --theme NAME`; see it with `holdspace themes --preview NAME`.\n",
    );
    out
}

/// `holdspace themes`.
pub fn list() -> ExitCode {
    print_out(&listing(user_dir().as_deref()))
}

/// `holdspace themes --preview NAME`.
pub fn preview(name: &str) -> ExitCode {
    let dir = user_dir();
    let theme = match find_theme(name, dir.as_deref()) {
        Ok(theme) => theme,
        Err(message) => {
            eprintln!("holdspace: {message}");
            return ExitCode::FAILURE;
        }
    };
    let color = !theme::no_color_requested();
    let (width, height) = preview_size();
    let screen = match render(&theme, width, height) {
        Ok(buffer) => buffer,
        Err(error) => {
            eprintln!("holdspace: the preview did not draw: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = format!(
        "Theme \"{name}\": a sample console ({width}×{height}){}\n",
        if color {
            ""
        } else {
            ", without colour because NO_COLOR is set"
        }
    );
    out.push_str(&buffer_text(&screen, color));
    out.push_str(&legend(&theme, width, color));
    print_out(&out)
}

/// A theme by name (user first, then built-in) or by path; an unknown name lists the valid ones.
fn find_theme(name: &str, user_dir: Option<&Path>) -> Result<Theme, String> {
    let is_path = name.ends_with(".ron") || name.contains(std::path::MAIN_SEPARATOR);
    let users = user_dir.map(user_themes).unwrap_or_default();
    let known = is_path || builtin_names().any(|n| n == name) || users.iter().any(|u| u.name == name);
    if !known {
        let mut names: Vec<String> = builtin_names().map(str::to_owned).collect();
        for user in &users {
            if user.error.is_none() && !names.contains(&user.name) {
                names.push(user.name.clone());
            }
        }
        let hint = crate::source::closest(name, names.iter().map(String::as_str))
            .map(|c| format!("did you mean \"{c}\"? "))
            .unwrap_or_default();
        return Err(format!(
            "no theme named \"{name}\"; {hint}valid names: {} (or a path to a .ron theme file)",
            names.join(", ")
        ));
    }
    theme::resolve(name, user_dir).map_err(|e| format!("the theme \"{name}\" did not load:\n{e}"))
}

/// The terminal's size, at least the console's minimum; the default when not a terminal.
fn preview_size() -> (u16, u16) {
    if !std::io::stdout().is_terminal() {
        return DEFAULT_SIZE;
    }
    let (w, h) = crossterm::terminal::size().unwrap_or(DEFAULT_SIZE);
    // Leave the title line and a little of the legend in view.
    (w.max(ui::MIN_WIDTH), h.saturating_sub(3).max(ui::MIN_HEIGHT))
}

/// Draws the sample console in `theme` into a buffer of `width`×`height`.
pub fn render(theme: &Theme, width: u16, height: u16) -> Result<Buffer, String> {
    let now = chrono::Utc::now().timestamp_millis();
    let state = crate::ui::sample_session(now - 11 * 60_000).map_err(|e| e.to_string())?;
    let keys = Keymap::default();
    let view = View::new(&state, now, crate::app::local_offset(), &keys);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).map_err(|e| e.to_string())?;
    terminal
        .draw(|frame| ui::draw(frame, &view, theme))
        .map_err(|e| e.to_string())?;
    Ok(terminal.backend().buffer().clone())
}

/// The buffer as text, one line per row: with SGR colour escapes (reset at every line's
/// end) when `color`, plain otherwise. Cells hidden by a wide symbol are left out.
pub fn buffer_text(buffer: &Buffer, color: bool) -> String {
    let width = usize::from(buffer.area.width).max(1);
    let mut out = String::with_capacity(buffer.content.len() * if color { 4 } else { 1 });
    for row in buffer.content.chunks(width) {
        let mut current: Option<(Color, Color, Modifier)> = None;
        let mut skip = 0usize;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = cell.symbol();
            skip = Span::raw(symbol).width().saturating_sub(1);
            if color {
                let style = (cell.fg, cell.bg, cell.modifier);
                if current != Some(style) {
                    out.push_str(&sgr(cell.fg, cell.bg, cell.modifier));
                    current = Some(style);
                }
            }
            out.push_str(if symbol.is_empty() { " " } else { symbol });
        }
        if color {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

/// The escape sequence that sets exactly this style, starting from a reset.
fn sgr(fg: Color, bg: Color, modifier: Modifier) -> String {
    let mut codes = vec![String::from("0")];
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if modifier.contains(flag) {
            codes.push(code.into());
        }
    }
    codes.extend(color_code(fg, false));
    codes.extend(color_code(bg, true));
    format!("\x1b[{}m", codes.join(";"))
}

/// The SGR parameter for a colour as foreground or background; none for `Reset`.
fn color_code(color: Color, background: bool) -> Option<String> {
    let base = |fg: u8| if background { fg + 10 } else { fg };
    let plane = if background { 48 } else { 38 };
    let code = match color {
        Color::Reset => return None,
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Indexed(i) => return Some(format!("{plane};5;{i}")),
        Color::Rgb(r, g, b) => return Some(format!("{plane};2;{r};{g};{b}")),
    };
    Some(code.to_string())
}

/// Every role with a swatch in its colour (when `color`) and the colour's value, in columns.
pub fn legend(theme: &Theme, width: u16, color: bool) -> String {
    let roles = theme.roles();
    let name_width = roles.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let entries: Vec<(String, String)> = roles
        .iter()
        .map(|(name, value)| {
            let swatch = if color {
                match color_code(*value, false) {
                    Some(code) => format!("\x1b[{code}m██\x1b[0m "),
                    None => "   ".into(),
                }
            } else {
                String::new()
            };
            let text = format!("{name:name_width$} {value}");
            (swatch, text)
        })
        .collect();
    let text_width = entries.iter().map(|(_, t)| t.chars().count()).max().unwrap_or(0);
    let cell = text_width + if color { 3 } else { 0 } + 3;
    let columns = (usize::from(width) / cell.max(1)).clamp(1, 4);
    let rows = entries.len().div_ceil(columns);
    let mut out = String::from("\nRoles (\"Reset\" is the terminal's own colour):\n");
    for row in 0..rows {
        let mut line = String::from(" ");
        for column in 0..columns {
            if let Some((swatch, text)) = entries.get(column * rows + row) {
                let _ = write!(line, "  {swatch}{text:text_width$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn print_out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("holdspace: cannot write to standard output: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_draws_the_plan_in_colour_or_plain() -> Result<(), String> {
        let light = theme::builtin("light").ok_or("no light theme")?;
        let buffer = render(&light, 100, 30)?;
        let plain = buffer_text(&buffer, false);
        assert!(plain.contains("Managing Anxiety"), "{plain}");
        assert!(!plain.contains('\x1b'));
        assert_eq!(plain.lines().count(), 30);
        let coloured = buffer_text(&buffer, true);
        assert!(coloured.contains("\x1b[0;"), "no colour in the preview");
        assert!(coloured.lines().all(|l| l.ends_with("\x1b[0m")));
        Ok(())
    }

    #[test]
    fn sgr_codes_cover_every_kind_of_colour() {
        assert_eq!(sgr(Color::Reset, Color::Reset, Modifier::empty()), "\x1b[0m");
        assert_eq!(
            sgr(Color::Rgb(1, 2, 3), Color::Indexed(208), Modifier::BOLD),
            "\x1b[0;1;38;2;1;2;3;48;5;208m"
        );
        assert_eq!(
            sgr(Color::LightRed, Color::Black, Modifier::REVERSED),
            "\x1b[0;7;91;40m"
        );
    }

    #[test]
    fn the_legend_names_every_role() {
        let dark = Theme::dark();
        for color in [false, true] {
            let text = legend(&dark, 100, color);
            for (role, _) in dark.roles() {
                assert!(text.contains(role), "{role} missing");
            }
            assert_eq!(text.contains('\x1b'), color);
        }
    }

    #[test]
    fn user_themes_override_and_broken_ones_are_listed() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("dark.ron"), "Theme(risk: \"#ff0000\")")?;
        std::fs::write(dir.path().join("bad.ron"), "Theme(risk: \"reddish\")")?;
        std::fs::write(dir.path().join("notes.txt"), "not a theme")?;
        let text = listing(Some(dir.path()));
        assert!(
            text.contains("dark") && text.contains("user, overrides built-in"),
            "{text}"
        );
        assert!(text.contains("bad") && text.contains("does not load"), "{text}");
        assert!(text.contains("not a colour"), "{text}");
        assert!(!text.contains("notes"), "{text}");
        let err = find_theme("nope", Some(dir.path())).expect_err("unknown");
        assert!(err.contains("dark, light, high-contrast"), "{err}");
        assert!(!err.contains("bad"), "a broken theme is not offered: {err}");
        Ok(())
    }
}
