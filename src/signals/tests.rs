use super::*;

fn cfg() -> Signals {
    Signals {
        gap_pct: 3.0,
        relative_pct: 5.0,
        volume_x: 3.0,
        volume: true,
        alert: vec![],
    }
}

fn nvda() -> Quote {
    Quote {
        open: Some(124.80),
        volume: Some(818_830_938),
        ..Quote::sample("NVDA", 118.42, 142.62)
    }
}

fn kinds(s: &[Signal]) -> Vec<AlertKind> {
    s.iter().map(|s| s.kind).collect()
}

#[test]
fn nvda_on_27_january_gapped_and_fell_apart_from_the_index() {
    let ixic = Quote::sample("^IXIC", 19341.83, 19954.30);
    let ctx = Context {
        benchmark: Some(("^IXIC", &ixic)),
        usual_volume: Some(250e6),
    };
    let s = of(&nvda(), ctx, &cfg());
    assert_eq!(
        kinds(&s),
        [AlertKind::Gap, AlertKind::Relative, AlertKind::Volume]
    );
    assert_eq!(
        (s[0].value, s[0].text.as_str()),
        (-12.49, "opened -12.49% from the close")
    );
    assert_eq!((s[1].value, s[1].text.as_str()), (-13.9, "-13.9 pts vs ^IXIC"));
    assert_eq!((s[2].value, s[2].chip()), (3.28, "VOL"));
    // Apple rose 3.18% with the index down 3.07: 6.2 points apart, the other way.
    let aapl = Quote::sample("AAPL", 229.86, 222.78);
    let s = of(&aapl, ctx, &cfg());
    assert_eq!(s[0].text, "+6.2 pts vs ^IXIC");
}

#[test]
fn thresholds_are_inclusive_and_missing_figures_say_nothing() {
    let mut q = Quote::sample("X", 103.0, 100.0);
    q.open = Some(103.0);
    assert_eq!(kinds(&of(&q, Context::default(), &cfg())), [AlertKind::Gap]);
    q.open = Some(102.99);
    assert!(of(&q, Context::default(), &cfg()).is_empty());
    q.open = None;
    q.previous_close = None;
    q.volume = Some(1);
    let bench = Quote::sample("^NDX", 1.0, 1.0);
    let ctx = Context {
        benchmark: Some(("^NDX", &bench)),
        usual_volume: Some(0.0),
    };
    assert!(of(&q, ctx, &cfg()).is_empty(), "no change, no usual volume");
}

#[test]
fn the_52_week_extremes_at_or_beyond() {
    let mut q = Quote::sample("X", 50.0, 55.0);
    q.week52 = Some((50.0, 90.0));
    assert_eq!(
        of(&q, Context::default(), &cfg())[0].text,
        "at the 52-week low (50.00)"
    );
    q.price = 49.0;
    assert_eq!(kinds(&of(&q, Context::default(), &cfg())), [AlertKind::Low52]);
    q.price = 91.0;
    assert_eq!(kinds(&of(&q, Context::default(), &cfg())), [AlertKind::High52]);
    q.price = 70.0;
    assert!(of(&q, Context::default(), &cfg()).is_empty());
    q.week52 = Some((0.0, 90.0));
    q.price = 0.5;
    assert!(
        of(&q, Context::default(), &cfg()).is_empty(),
        "a 52-week low of 0 is no figure"
    );
}

#[test]
fn the_usual_volume_is_scaled_to_the_session_gone() {
    assert_eq!(usual_volume(100.0, 0.5), 50.0);
    assert_eq!(usual_volume(100.0, 0.01), 10.0, "never below a tenth");
    assert_eq!(usual_volume(100.0, 3.0), 100.0);
}
