//! One full frame of the live console: 15 members, 12 segments, 300 notes, at 80×24 and
//! 120×40. The target is under 1 ms a frame.
//!
//! `cargo bench --bench frame`

use std::hint::black_box;
use std::path::Path;

use chrono::FixedOffset;
use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::keymap::Keymap;
use holdspace::plan::{BUILTIN_PLAN, Member, Roster, parse_plan};
use holdspace::session::{About, Command, State, Tag, decide};
use holdspace::theme::Theme;
use holdspace::ui::{View, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const T0: i64 = 1_764_061_200_000;

fn busy_session() -> State {
    let mut plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("built-in plan");
    let template = plan.agenda.clone();
    plan.agenda = template.iter().cycle().take(12).cloned().collect();
    let roster = Roster {
        members: (0..15)
            .map(|i| Member {
                name: format!("Member {i:02}"),
                pronouns: None,
            })
            .collect(),
        ..Roster::default()
    };
    let mut state = State::new(plan, roster, 1, T0);
    let mut at = T0;
    let run = |state: &mut State, command: Command, at: i64| {
        for event in decide(state, command, at) {
            state.apply(&event);
        }
    };
    run(&mut state, Command::StartPause, at);
    run(&mut state, Command::NextSegment, at);
    for i in 0..300 {
        at += 5_000;
        if i % 20 == 0 {
            run(&mut state, Command::NextSpeaker, at);
        }
        let tags = if i % 17 == 0 {
            vec![Tag::Risk]
        } else {
            vec![Tag::Insight]
        };
        let text = format!("observation number {i} about how the group is doing today");
        run(
            &mut state,
            Command::AddNote {
                about: About::Member(i % 15),
                tags,
                text,
            },
            at,
        );
    }
    state
}

fn frame(c: &mut Criterion) {
    let state = busy_session();
    let keys = Keymap::default();
    let theme = Theme::dark();
    let now = state.last_seen + 1_000;
    for (width, height) in [(80, 24), (120, 40)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("backend");
        c.bench_function(
            &format!("frame {width}x{height}, 15 members, 12 segments, 300 notes"),
            |b| {
                b.iter(|| {
                    let view = View::new(&state, now, FixedOffset::east_opt(0).expect("UTC"), &keys);
                    terminal
                        .draw(|f| draw(f, black_box(&view), &theme))
                        .expect("draw");
                })
            },
        );
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
