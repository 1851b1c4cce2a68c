//! Side effects of the run loop that are not the screen: the cache, alerts,
//! links. The reducer asks; these do.

use crate::cache::{Cache, Write};
use crate::config::Config;
use crate::model::{AlertEvent, FeedUpdate};
use crate::source::Output;
use crate::{alert, notify, terminal};

/// Sends what a source brought to the cache; the reducer never does I/O.
pub fn persist(cache: Option<&Cache>, output: &Output) {
    let Some(cache) = cache else { return };
    match output {
        Output::Quote(o) => {
            if let Ok(q) = &o.result {
                cache.write(Write::Quote(Box::new(q.clone())));
            }
        }
        Output::Feed(o) => {
            if let Ok(FeedUpdate::Fresh {
                headlines,
                validators,
                ..
            }) = &o.result
            {
                cache.write(Write::Feed {
                    id: o.feed.clone(),
                    validators: validators.clone(),
                    headlines: headlines.as_slice().into(),
                });
            }
        }
        Output::Tickers(map) => cache.write(Write::Tickers(std::sync::Arc::clone(map))),
        // A tick moves what polling brought; the next poll stores it.
        Output::Usual {
            symbol,
            result: Ok(average),
        } => cache.write(Write::Usual {
            symbol: symbol.clone(),
            average: *average,
            fetched: chrono::Utc::now(),
        }),
        Output::History(o) => {
            if let Some(body) = &o.body {
                let (range, interval) = o.range.api();
                cache.write(Write::History {
                    symbol: o.symbol.clone(),
                    range: range.into(),
                    interval: interval.into(),
                    fetched: o.fetched,
                    body: body.clone(),
                });
            }
        }
        // The halt feed and the index's list are asked again at every start.
        Output::Stream(_)
        | Output::Absent { .. }
        | Output::Halts(_)
        | Output::Market(_)
        | Output::Usual { .. } => {}
    }
}

/// Asks the cache to drop this configuration's headlines beyond its count and
/// age (another instance on the same file keeps its own).
pub fn prune(cache: Option<&Cache>, config: &Config) {
    if let Some(c) = cache {
        let max_age_days = (config.general.headline_max_age.as_secs() / 86_400).max(1) as i64;
        c.write(Write::Prune {
            max: config.general.max_headlines,
            max_age_days,
            feeds: config
                .news_sources()
                .iter()
                .map(|s| crate::model::FeedId::of(&s.feed.url).as_str().to_string())
                .collect(),
            symbols: config.all_symbols(),
            record_days: config.record.days,
        });
    }
}

/// The quotes of symbols this instance no longer watches leave the cache.
pub fn forget_removed(cache: Option<&Cache>, old: &Config, new: &Config) {
    let keep = new.priced_symbols();
    let gone: Vec<String> = old
        .priced_symbols()
        .into_iter()
        .filter(|s| !keep.contains(s))
        .collect();
    if let Some(c) = cache.filter(|_| !gone.is_empty()) {
        c.write(Write::ForgetQuotes { gone });
    }
}

/// A new alert: logged in the cache, the bell, the notifications, the user's command.
pub fn announce(cache: Option<&Cache>, config: &Config, event: &AlertEvent) {
    if let Some(c) = cache {
        c.write(Write::Alert(event.clone()));
    }
    if config.alerts.bell {
        terminal::bell();
    }
    let note = notify::Note::of(event, config.origin == crate::config::ConfigOrigin::Demo);
    notify::terminal(config.alerts.osc_notify, &note);
    if config.alerts.notify {
        notify::desktop(note);
    }
    if !config.alerts.command.is_empty() {
        alert::spawn(&config.alerts.command, event);
    }
}
