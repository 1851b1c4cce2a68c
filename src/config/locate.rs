//! Where the configuration comes from (SPEC §1): -c, then $TICKWIRE_CONFIG, then
//! $XDG_CONFIG_HOME/tickwire/config.toml, then the embedded default.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{Config, ConfigError, parse};

pub const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    File(PathBuf),
    Embedded,
    /// The replay's own configuration (`--demo`).
    Demo,
}

impl fmt::Display for ConfigOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Embedded => write!(f, "<embedded default config>"),
            Self::Demo => write!(f, "<demo config>"),
        }
    }
}

/// Picks the configuration in SPEC order. An explicitly named file that does not
/// exist is an error; the XDG file is only used when present.
pub fn locate(cli: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<ConfigOrigin, ConfigError> {
    let explicit = cli.map(|p| (p.to_path_buf(), "--config")).or_else(|| {
        env("TICKWIRE_CONFIG")
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), "$TICKWIRE_CONFIG"))
    });
    if let Some((path, via)) = explicit {
        if !path.is_file() {
            return Err(ConfigError::plain(
                &path.display().to_string(),
                format!("no such config file (named by {via})"),
            ));
        }
        return Ok(ConfigOrigin::File(path));
    }
    if let Some(path) = user_config_path(&env).filter(|p| p.is_file()) {
        return Ok(ConfigOrigin::File(path));
    }
    Ok(ConfigOrigin::Embedded)
}

/// `$XDG_CONFIG_HOME/tickwire/config.toml`, with the XDG fallback to ~/.config.
pub fn user_config_path(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("tickwire").join("config.toml"))
}

/// `$VAR/tickwire/FILE` for an XDG base directory variable, falling back to
/// `$HOME/FALLBACK/tickwire/FILE` as the XDG spec says (relative values are ignored).
pub fn xdg_file(var: &str, fallback: &str, file: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))?;
    Some(base.join("tickwire").join(file))
}

/// Reads and validates the configuration named by `origin`.
pub fn load(origin: ConfigOrigin) -> Result<Config, ConfigError> {
    match &origin {
        ConfigOrigin::Embedded => parse(DEFAULT_CONFIG, origin),
        ConfigOrigin::Demo => Err(ConfigError::plain("<demo config>", "built by --demo, not loaded")),
        ConfigOrigin::File(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| ConfigError::plain(&path.display().to_string(), format!("cannot read: {e}")))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                ConfigError::plain(
                    &path.display().to_string(),
                    format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
            })?;
            parse(&text, origin)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_string())
    }

    #[test]
    fn embedded_default_is_valid() {
        let c = load(ConfigOrigin::Embedded).expect("default config must validate");
        assert_eq!(c.watchlists[0].name, "AI shock");
        assert_eq!(c.watchlists[0].symbols, ["NVDA", "^NDX", "AVGO", "TSM", "AAPL"]);
        assert_eq!(c.watchlists[1].symbols, ["^NDX", "^IXIC", "^GSPC", "^DJI"]);
        assert_eq!(c.thresholds("NVDA").alert_drop_pct, 10.0);
        assert_eq!(c.thresholds("AAPL").alert_drop_pct, 7.0);
        assert!(c.feeds.len() >= 4);
    }

    #[test]
    fn the_documented_example_is_valid() {
        let text = include_str!("../../config/example.toml");
        let c = parse(text, ConfigOrigin::Embedded).expect("config/example.toml must validate");
        assert_eq!(c.symbols["NVDA"].shares_outstanding, Some(24.49e9));
    }

    #[test]
    fn missing_explicit_file_is_an_error_and_env_is_used() {
        let e = locate(Some(Path::new("/nonexistent/x.toml")), env_of(&[])).unwrap_err();
        assert!(e.to_string().contains("no such config file (named by --config)"));
        let e = locate(None, env_of(&[("TICKWIRE_CONFIG", "/nonexistent/y.toml")])).unwrap_err();
        assert!(e.to_string().contains("$TICKWIRE_CONFIG"));
    }

    #[test]
    fn falls_back_to_embedded_when_no_user_file() {
        let o = locate(
            None,
            env_of(&[
                ("XDG_CONFIG_HOME", "/nonexistent-xdg"),
                ("HOME", "/nonexistent-home"),
            ]),
        );
        assert_eq!(o, Ok(ConfigOrigin::Embedded));
    }

    #[test]
    fn xdg_path_is_used_when_present() {
        let p = user_config_path(&env_of(&[("XDG_CONFIG_HOME", "/x")]));
        assert_eq!(p, Some(PathBuf::from("/x/tickwire/config.toml")));
        let p = user_config_path(&env_of(&[("HOME", "/home/u")]));
        assert_eq!(p, Some(PathBuf::from("/home/u/.config/tickwire/config.toml")));
    }
}
