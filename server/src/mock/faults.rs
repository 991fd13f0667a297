//! Faults the mock can inject, set by `--fault` flags or the control endpoint, both
//! written `ROUTE:FAULT[:TIMES]`.
//!
//! ROUTE is `submit`, `task` or `any`; FAULT is an HTTP status (`503`), `malformed`
//! (a 200 whose body is cut short), `drop` (the connection closes without an answer),
//! `slow=<duration>` (the answer waits), `fail=<reason>` (the next submitted task
//! ends failed with that reason), or `envelope=<code>` (an error with that code inside
//! a 200, as a provider that mixes the two; off the contract, which a client must
//! survive). TIMES, default 1, is how many matching requests the
//! fault affects.

use std::collections::VecDeque;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Submit,
    Task,
    Any,
}

impl Route {
    fn matches(self, route: Route) -> bool {
        self == Route::Any || self == route
    }
}

/// What happens to an affected request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Status(u16),
    /// An error with this code inside an HTTP 200 envelope, as a provider that mixes
    /// the two answers (off the contract: a client must not be confused by it).
    InEnvelope(u16),
    Malformed,
    Drop,
    Slow(Duration),
    FailTask(String),
}

/// A fault, the requests it applies to, and how many of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpec {
    pub route: Route,
    pub fault: Fault,
    pub times: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{0} (expected ROUTE:FAULT[:TIMES], e.g. task:503:2, submit:drop, any:slow=2s, submit:fail=out of credits)"
)]
pub struct FaultSpecError(String);

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (route, rest) = spec
            .split_once(':')
            .ok_or_else(|| FaultSpecError(format!("{spec:?} has no ROUTE:")))?;
        let route = match route {
            "submit" => Route::Submit,
            "task" => Route::Task,
            "any" => Route::Any,
            other => return Err(FaultSpecError(format!("unknown route {other:?}"))),
        };
        // A trailing `:<digits>` is the count; a reason may itself contain colons.
        let (fault, times) = match rest.rsplit_once(':') {
            Some((fault, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                let times = n
                    .parse()
                    .map_err(|_| FaultSpecError(format!("count {n:?} is too large")))?;
                (fault, times)
            }
            _ => (rest, 1),
        };
        if times == 0 {
            return Err(FaultSpecError("a count of 0 would do nothing".into()));
        }
        let fault = parse_fault(fault)?;
        if matches!(fault, Fault::FailTask(_)) && route == Route::Task {
            return Err(FaultSpecError(
                "fail= applies to submits (the task it creates)".into(),
            ));
        }
        Ok(FaultSpec {
            route,
            fault,
            times,
        })
    }
}

fn parse_fault(text: &str) -> Result<Fault, FaultSpecError> {
    if let Some(duration) = text.strip_prefix("slow=") {
        let duration = humantime::parse_duration(duration)
            .map_err(|err| FaultSpecError(format!("slow={duration}: {err}")))?;
        return Ok(Fault::Slow(duration));
    }
    if let Some(reason) = text.strip_prefix("fail=") {
        if reason.trim().is_empty() {
            return Err(FaultSpecError("fail= needs a reason".into()));
        }
        return Ok(Fault::FailTask(reason.to_owned()));
    }
    if let Some(code) = text.strip_prefix("envelope=") {
        return match code.parse::<u16>() {
            Ok(code) if (400..=599).contains(&code) => Ok(Fault::InEnvelope(code)),
            _ => Err(FaultSpecError(format!(
                "envelope={code}: an error code 400-599"
            ))),
        };
    }
    match text {
        "malformed" => Ok(Fault::Malformed),
        "drop" => Ok(Fault::Drop),
        status => match status.parse::<u16>() {
            Ok(code) if (400..=599).contains(&code) => Ok(Fault::Status(code)),
            _ => Err(FaultSpecError(format!("unknown fault {status:?}"))),
        },
    }
}

/// Pending faults, consumed in order by the requests they match.
#[derive(Default)]
pub struct FaultQueue {
    pending: Mutex<VecDeque<FaultSpec>>,
}

impl FaultQueue {
    pub fn new(specs: impl IntoIterator<Item = FaultSpec>) -> FaultQueue {
        FaultQueue {
            pending: Mutex::new(specs.into_iter().collect()),
        }
    }

    pub fn push(&self, spec: FaultSpec) {
        self.lock().push_back(spec);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Takes one use of the first fault that applies to `route`, if any.
    pub fn take(&self, route: Route) -> Option<Fault> {
        let mut pending = self.lock();
        let index = pending.iter().position(|spec| spec.route.matches(route))?;
        let spec = pending.get_mut(index)?;
        let fault = spec.fault.clone();
        spec.times = spec.times.saturating_sub(1);
        if spec.times == 0 {
            pending.remove(index);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<FaultSpec>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> FaultSpec {
        text.parse().unwrap()
    }

    #[test]
    fn parses_every_kind_of_fault() {
        assert_eq!(
            spec("task:503:2"),
            FaultSpec {
                route: Route::Task,
                fault: Fault::Status(503),
                times: 2
            }
        );
        assert_eq!(spec("submit:402").fault, Fault::Status(402));
        assert_eq!(spec("any:malformed").fault, Fault::Malformed);
        assert_eq!(spec("submit:drop").fault, Fault::Drop);
        assert_eq!(
            spec("task:slow=1500ms").fault,
            Fault::Slow(Duration::from_millis(1500))
        );
        assert_eq!(
            spec("submit:fail=GPU: out of memory").fault,
            Fault::FailTask("GPU: out of memory".into())
        );
        assert_eq!(spec("submit:fail=GPU: out of memory:3").times, 3);
        assert_eq!(spec("submit:envelope=400").fault, Fault::InEnvelope(400));
    }

    #[test]
    fn refuses_nonsense_with_a_reason() {
        for bad in [
            "",
            "task",
            "tasks:503",
            "task:200",
            "task:999",
            "task:teapot",
            "task:503:0",
            "task:fail=x",
            "submit:fail=",
            "any:slow=soon",
            "submit:envelope=200",
            "submit:envelope=",
        ] {
            assert!(bad.parse::<FaultSpec>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn faults_are_used_up_in_order_by_matching_routes() {
        let queue = FaultQueue::new([spec("task:503:2"), spec("submit:402")]);
        assert_eq!(queue.take(Route::Submit), Some(Fault::Status(402)));
        assert_eq!(queue.take(Route::Submit), None);
        assert_eq!(queue.take(Route::Task), Some(Fault::Status(503)));
        assert_eq!(queue.take(Route::Task), Some(Fault::Status(503)));
        assert_eq!(queue.take(Route::Task), None);
        queue.push(spec("any:drop"));
        assert_eq!(queue.take(Route::Task), Some(Fault::Drop));
        assert_eq!(queue.len(), 0);
    }
}
