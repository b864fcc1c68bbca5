//! holdspace: a terminal console for facilitating group sessions live.
//!
//! The arrows point one way: `app` → `ui` → `session` → `plan`. The session core is pure
//! (time is passed in), drawing is a pure function of state and theme, and everything
//! that touches a terminal, a file or the clock lives in `app`, `journal` and `storage`.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod journal;
pub mod keymap;
pub mod observations;
pub mod plan;
pub mod review;
pub mod scaffold;
pub mod session;
pub mod share;
pub mod source;
pub mod storage;
pub mod summary;
pub mod supervision;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod themes_cmd;
pub mod ui;
