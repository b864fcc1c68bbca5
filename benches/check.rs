//! How long a plan with thousands of mistakes takes to check: parse, locate and validate.
//! The console reloads an edited plan the same way, so this bounds a reload too.
//!
//! `cargo bench --bench check`. Two plans built in memory: 10,000 segments with one error
//! each, and 3,000 undefined exercise references among 3,000 defined exercises (each fix
//! lists the 5 nearest). Both report 100 errors and count the rest.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::plan::parse_plan;

fn plan(segments: usize, segment: impl Fn(usize) -> String, exercises: usize) -> String {
    let mut s =
        String::from("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"24h\",\n    agenda: [\n");
    for i in 0..segments {
        s.push_str(&segment(i));
    }
    s.push_str("    ],\n    exercises: {\n");
    for i in 0..exercises {
        s.push_str(&format!(
            "        \"defined-{i}\": Exercise(title: \"E\", steps: [Step(text: \"x\")]),\n"
        ));
    }
    s.push_str("    },\n)\n");
    s
}

fn check_large_broken_plans(c: &mut Criterion) {
    let ten_thousand = plan(
        10_000,
        |i| format!("        Segment(title: \"S{i}\", kind: Discussion, duration: \"5s\", min: \"9s\"),\n"),
        0,
    );
    let references = plan(
        3_000,
        |i| {
            format!(
                "        Segment(title: \"S{i}\", kind: Discussion, duration: \"5s\", exercise: \"missing-{i}\"),\n"
            )
        },
        3_000,
    );
    let file = Path::new("plan.ron");
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.bench_function("10,000 segments, one error each", |b| {
        b.iter(|| parse_plan(black_box(&ten_thousand), file).map_err(|e| e.0.len()))
    });
    group.bench_function("3,000 undefined exercises among 3,000", |b| {
        b.iter(|| parse_plan(black_box(&references), file).map_err(|e| e.0.len()))
    });
    group.finish();
}

criterion_group!(benches, check_large_broken_plans);
criterion_main!(benches);
