//! A one-line meter on stderr while a long history is read: commits read of the
//! total, a bar and the time left. It appears only once the read has gone on for a
//! while, is redrawn at most ten times a second, and is wiped when the read ends, so
//! what stays on the terminal is the command's own output.

use crate::error::Failure;
use std::io::Write;
use std::time::{Duration, Instant};

/// The variable that sets how long a read goes on before the meter appears.
pub const DELAY_VAR: &str = "CHG_PROGRESS_AFTER";

/// How long a read goes on before the meter appears, unless [`DELAY_VAR`] says.
const DEFAULT_DELAY: Duration = Duration::from_secs(2);

/// The least time between two drawings: a terminal cannot show more, and drawing
/// costs time the read would take longer.
const REDRAW: Duration = Duration::from_millis(100);

/// Cells of the bar.
const BAR: usize = 24;

/// How long a read goes on before the meter appears: [`DELAY_VAR`] in seconds, else
/// two seconds.
pub fn delay() -> Result<Duration, Failure> {
    let Some(text) = std::env::var_os(DELAY_VAR) else {
        return Ok(DEFAULT_DELAY);
    };
    let text = text.to_string_lossy();
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| {
            Failure::input(format!("{DELAY_VAR}: `{text}` is not a number of seconds"))
                .hint(format!("e.g. {DELAY_VAR}=0.5; 0 shows progress at once"))
        })
}

/// A meter of a known number of steps; one that is not shown costs a branch a step.
pub struct Progress {
    meter: Option<Meter>,
}

struct Meter {
    what: &'static str,
    total: usize,
    done: usize,
    started: Instant,
    delay: Duration,
    /// When it was last drawn; `None` until it first is.
    drawn: Option<Instant>,
}

impl Progress {
    /// A meter never shown.
    pub fn hidden() -> Progress {
        Progress { meter: None }
    }

    /// A meter of `total` steps of `what` ("reading history"), shown once `delay` has
    /// passed; never shown when `delay` is `None`.
    pub fn new(what: &'static str, total: usize, delay: Option<Duration>) -> Progress {
        Progress {
            meter: delay.map(|delay| Meter {
                what,
                total,
                done: 0,
                started: Instant::now(),
                delay,
                drawn: None,
            }),
        }
    }

    /// One more step done.
    pub fn step(&mut self) {
        let Some(m) = &mut self.meter else {
            return;
        };
        m.done += 1;
        let now = Instant::now();
        let due = match m.drawn {
            Some(last) => now.duration_since(last) >= REDRAW,
            None => now.duration_since(m.started) >= m.delay,
        };
        if due {
            m.drawn = Some(now);
            let elapsed = now.duration_since(m.started);
            draw(&format!(
                "\r{}\x1b[K",
                line(m.what, m.done, m.total, elapsed)
            ));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.meter.as_ref().is_some_and(|m| m.drawn.is_some()) {
            draw("\r\x1b[K");
        }
    }
}

/// Writes to stderr; a meter that cannot be drawn is not worth an error.
fn draw(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// `reading history  1200/4800 [======                  ]  25%  about 6s left`
fn line(what: &str, done: usize, total: usize, elapsed: Duration) -> String {
    let total = total.max(done).max(1);
    let filled = BAR * done / total;
    let bar = format!("{}{}", "=".repeat(filled), " ".repeat(BAR - filled));
    let left = elapsed.mul_f64((total - done) as f64 / done.max(1) as f64);
    format!(
        "{what}  {done}/{total} [{bar}] {:>3}%  about {} left",
        100 * done / total,
        short(left)
    )
}

/// A time left, to the second under two minutes, else to the minute.
fn short(d: Duration) -> String {
    let s = d.as_secs();
    if s < 120 {
        format!("{s}s")
    } else {
        format!("{}m", s.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_the_count_the_bar_and_the_time_left() {
        let l = line("reading history", 1200, 4800, Duration::from_secs(2));
        assert_eq!(
            l,
            "reading history  1200/4800 [======                  ]  25%  about 6s left"
        );
    }

    #[test]
    fn a_long_wait_is_told_in_minutes_and_an_overrun_stays_full() {
        let l = line("reading history", 10, 1000, Duration::from_secs(10));
        assert!(l.ends_with("about 17m left"), "{l}");
        let l = line("reading history", 12, 10, Duration::from_secs(1));
        assert!(l.contains("12/12 [========================] 100%"), "{l}");
    }
}
