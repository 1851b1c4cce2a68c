//! Opening a link in the browser: $BROWSER, else the platform's opener. The URL
//! is one argument, never passed through a shell (CVE-2017-12904 was a feed
//! title run through bookmark-cmd's shell).

use std::process::{Command, Stdio};

/// The program and leading arguments to run, the URL appended as the last argument.
pub fn opener(browser: Option<&str>) -> Vec<String> {
    // $BROWSER may list several commands separated by ':'; the first is used.
    if let Some(first) = browser.and_then(|b| b.split(':').find(|c| !c.trim().is_empty())) {
        return first.split_whitespace().map(String::from).collect();
    }
    let platform = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    vec![platform.to_string()]
}

/// Starts the browser detached from the terminal; returns why it could not.
pub fn open(url: &str) -> Result<(), String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("only http and https links are opened".into());
    }
    let browser = std::env::var("BROWSER").ok();
    let argv = opener(browser.as_deref());
    let Some((program, args)) = argv.split_first() else {
        return Err("no browser to open links with".into());
    };
    let child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    // Reap it in the background so no zombie is left behind.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_variable_forms() {
        assert_eq!(opener(Some("firefox")), ["firefox"]);
        assert_eq!(
            opener(Some("firefox --new-tab:chromium")),
            ["firefox", "--new-tab"]
        );
        assert_eq!(opener(Some(":w3m")), ["w3m"]);
        assert_eq!(opener(None).len(), 1);
    }

    #[test]
    fn non_http_links_are_refused() {
        assert!(open("javascript:alert(1)").is_err());
        assert!(open("file:///etc/passwd").is_err());
    }
}
