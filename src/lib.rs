//! holdspace: a terminal console for facilitating group sessions live.
//!
//! The arrows point one way: `cli` → `app` (the live console) and `review` (the
//! supervisor's browser) → `ui` (drawing) → `session` (the pure core) → `plan` → `source`.
//!
//! - `session` turns a command and the time (passed in) into events; the state is the fold
//!   of those events. It knows no terminal, file, network or clock.
//! - `ui` draws the console from the state and never changes it; each popup is a component
//!   in `app::modes` with its keys, hints and drawing together.
//! - `journal`, `summary` and `observations` own their file formats; `storage` makes every
//!   file private and atomic; `vault` seals what holds client data (age) when encryption is
//!   on; `share` is the encrypted link to trainees; `terminal` sets the terminal up and
//!   restores it; `source` reads a user's file and locates its problems.
//! - `notes` turns a summary into what a clinician files (the wrap-up, a progress note per
//!   member naming no other, what carries forward); `supervision` keeps the sign-off
//!   records beside a summary.
//! - Only `cli` knows the command line.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod journal;
pub mod keymap;
pub mod notes;
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
pub mod vault;
