//! Which server a run drives ([`Target`]: Parley or the bare broadcast server) and what the
//! modes ask of it: visitors, their sockets, and operator sockets.

use std::net::SocketAddr;

use futures_util::{StreamExt, stream};
use parley_types::WidgetSession;

use super::{BoxError, Endpoint, Parley, bare_endpoint, describe};
use crate::stats::ErrorCounters;

/// Which server a run drives.
#[derive(Debug, Clone)]
pub enum Target {
    Parley(Parley),
    /// The bare broadcast server from [`crate::bare`].
    Bare {
        addr: SocketAddr,
    },
}

/// Someone that can open a visitor socket: a Parley widget token, or nothing for the bare
/// server.
#[derive(Debug, Clone)]
pub enum VisitorCred {
    Parley(WidgetSession),
    Bare,
}

impl Target {
    /// A short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Target::Parley(_) => "parley",
            Target::Bare { .. } => "bare",
        }
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        match self {
            Target::Parley(p) => p.addr,
            Target::Bare { addr } => *addr,
        }
    }

    /// Creates `n` visitors with at most `concurrency` requests in flight. Failures are
    /// counted in `errors.http` and left out of the result.
    pub async fn create_visitors(&self, n: usize, concurrency: usize, errors: &ErrorCounters) -> Vec<VisitorCred> {
        let Target::Parley(parley) = self else {
            return vec![VisitorCred::Bare; n];
        };
        let mut first_error = true;
        let results: Vec<_> =
            stream::iter(0..n).map(|_| parley.create_visitor()).buffer_unordered(concurrency.max(1)).collect().await;
        let mut creds = Vec::with_capacity(n);
        for result in results {
            match result {
                Ok(session) => creds.push(VisitorCred::Parley(session)),
                Err(e) => {
                    ErrorCounters::bump(&errors.http);
                    if std::mem::take(&mut first_error) {
                        eprintln!("bench: creating a visitor failed: {}", describe(&*e));
                    }
                }
            }
        }
        creds
    }

    /// The WebSocket a visitor opens.
    pub fn visitor_endpoint(&self, cred: &VisitorCred) -> Result<Endpoint, BoxError> {
        match (self, cred) {
            (Target::Parley(p), VisitorCred::Parley(session)) => p.visitor_endpoint(session),
            (Target::Bare { addr }, _) => Ok(bare_endpoint(*addr, "/visitor")),
            (Target::Parley(_), VisitorCred::Bare) => Err("a Parley visitor needs a widget session".into()),
        }
    }

    /// `m` operator sockets; for Parley each logs in separately with the same credentials.
    /// Failed logins are counted and left out.
    pub async fn operator_endpoints(
        &self,
        m: usize,
        email: Option<&str>,
        password: Option<&str>,
        errors: &ErrorCounters,
    ) -> Result<Vec<Endpoint>, BoxError> {
        let parley = match self {
            Target::Bare { addr } => return Ok(vec![bare_endpoint(*addr, "/operator"); m]),
            Target::Parley(p) => p,
        };
        let (Some(email), Some(password)) = (email, password) else {
            return Err("--email and --password are needed to log operators in".into());
        };
        let mut endpoints = Vec::with_capacity(m);
        for i in 0..m {
            match parley.login_operator(email, password).await {
                Ok(ep) => endpoints.push(ep),
                Err(e) => {
                    ErrorCounters::bump(&errors.http);
                    eprintln!("bench: operator {i} login failed: {}", describe(&*e));
                    // A wrong password fails every time; stop before the login throttle trips.
                    if endpoints.is_empty() {
                        return Err(e);
                    }
                }
            }
        }
        Ok(endpoints)
    }
}
