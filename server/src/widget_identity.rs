//! The widget JS API's endpoints, for the visitor holding a token (`X-Parley-Token`) on
//! an allowed page: `setUser` (identify), `setAttributes`, `setLabels`, `track` and the
//! lead forms. JSON bodies; an undecodable one is 400 with a sentence, like every refusal
//! here. Each visitor's calls are rate limited (`limits::CALLS_PER_SECOND`).

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use parley_services::contacts::{identity, lead_form};
use parley_services::{ServiceError, Services, visitors};
use parley_types::{ApiError, ContactId, FieldError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::widget_api::{embedding_workspace, error_response, find_visitor_by, header_token, readable_by_caller};

/// Runs `call` as the visitor of the request's token, answering its JSON (or the error).
async fn as_visitor<B, T, F>(services: &Services, key: &str, headers: &HeaderMap, body: &[u8], call: F) -> Response
where
    B: DeserializeOwned,
    T: Serialize,
    F: AsyncFnOnce(&parley_services::Actor, B) -> Result<T, ServiceError>,
{
    let answer = async {
        let (ws, _) = embedding_workspace(services, key, headers).await?;
        let (contact, _) = find_visitor_by(services, &ws, header_token(headers)).await?;
        services.limits.visitor_call(ContactId(contact.id)).map_err(Refusal::Api)?;
        let body: B = serde_json::from_slice(body).map_err(|err| {
            ServiceError::Invalid(parley_types::phrase!("err-request-body-json", reason = err.to_string()))
        })?;
        Ok::<T, Refusal>(call(&visitors::actor(&contact), body).await?)
    };
    let response = match answer.await {
        Ok(value) => Json(value).into_response(),
        Err(Refusal::Service(err)) => error_response(err),
        Err(Refusal::Api(err)) => crate::errors::error_response(err),
    };
    readable_by_caller(response, headers)
}

enum Refusal {
    Service(ServiceError),
    Api(ApiError),
}

impl From<ServiceError> for Refusal {
    fn from(err: ServiceError) -> Self {
        Refusal::Service(err)
    }
}

/// An id as the page gave it: text, or a number written out.
#[derive(Deserialize)]
#[serde(untagged)]
enum UserId {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Deserialize)]
struct IdentifyBody {
    id: UserId,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, serde_json::Value>,
}

/// `POST /widget/v1/{key}/identify` `{"id", "hash"?, "attributes"?}`: `setUser`.
pub async fn identify(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    as_visitor(&services, &key, &headers, &body, async |actor, body: IdentifyBody| {
        let id = match body.id {
            UserId::Text(text) => text,
            UserId::Number(n) => n.to_string(),
        };
        identity::identify(&services, actor, &id, body.hash.as_deref(), &body.attributes).await
    })
    .await
}

/// What a call refused, key by key (the rest was applied).
#[derive(Serialize)]
struct Applied {
    rejected: Vec<FieldError>,
}

#[derive(Deserialize)]
struct AttributesBody {
    attributes: BTreeMap<String, serde_json::Value>,
}

/// `POST /widget/v1/{key}/attributes` `{"attributes": {..}}`: `setAttributes`.
pub async fn attributes(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    as_visitor(&services, &key, &headers, &body, async |actor, body: AttributesBody| {
        let rejected = identity::set_attributes(&services, actor, &body.attributes).await?;
        Ok(Applied { rejected })
    })
    .await
}

#[derive(Deserialize)]
struct LabelsBody {
    labels: Vec<String>,
}

/// `POST /widget/v1/{key}/labels` `{"labels": [..]}`: `setLabels`.
pub async fn labels(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    as_visitor(&services, &key, &headers, &body, async |actor, body: LabelsBody| {
        let rejected = identity::set_labels(&services, actor, &body.labels).await?;
        Ok(Applied { rejected })
    })
    .await
}

#[derive(Deserialize)]
struct TrackBody {
    name: String,
    #[serde(default)]
    data: Option<serde_json::Value>,
}

/// `POST /widget/v1/{key}/events` `{"name", "data"?}`: `track`.
pub async fn track(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    as_visitor(&services, &key, &headers, &body, async |actor, body: TrackBody| {
        identity::track(&services, actor, &body.name, body.data.as_ref()).await?;
        Ok(Applied { rejected: Vec::new() })
    })
    .await
}

/// `POST /widget/v1/{key}/lead` (`parley_types::LeadSubmission`): the pre-chat form or
/// the in-chat email capture. Every problem is listed at once (400 with `fields`).
pub async fn lead(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    as_visitor(&services, &key, &headers, &body, async |actor, body: parley_types::LeadSubmission| {
        lead_form::submit(&services, actor, &body).await
    })
    .await
}
