//! The server's sentences by message id: every refusal carries its English sentence and
//! the phrase (id and values) the operator app says in the page's language; the widget's
//! answers, socket refusals and form texts come in the language the widget speaks. Runs
//! on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{Ask, ClientEvent, LeadFormSettings, MAX_MESSAGE_CHARS, Role, VisitorEvent};
use serde_json::{Value, json};
use support::{SITE, Socket, TestApp, TestWorkspace};

/// A lead form submission in `lang` (the widget's `Accept-Language`), status and answer.
async fn submit_lead(app: &TestApp, ws: &TestWorkspace, token: &str, lang: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/lead", app.base, ws.key))
        .header("Origin", SITE)
        .header("X-Parley-Token", token)
        .header("Accept-Language", lang)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

fn field_messages(body: &Value) -> Vec<(&str, &str)> {
    body["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|p| Some((p["field"].as_str()?, p["message"].as_str()?))).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn refusals_carry_their_sentence_and_its_phrase() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let mut config = admin.widget_config().await;
    config.color = "blue".into();
    config.offset_x = 10_000;
    let response = admin.save_widget_config(&config).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    // English for every client and log, and the id with its values for the app's words.
    assert_eq!(body["fields"][0]["field"], "color", "{body}");
    assert_eq!(body["fields"][0]["message"], "\"blue\" is not a colour like #4f46e5.", "{body}");
    assert_eq!(body["fields"][0]["phrase"], json!({ "id": "err-widget-color", "args": { "value": "blue" } }));
    assert_eq!(body["fields"][1]["phrase"]["id"], "err-widget-offset", "{body}");
    assert_eq!(body["fields"][1]["phrase"]["args"]["max"], json!(200), "{body}");
    assert_eq!(body["message"], "\"blue\" is not a colour like #4f46e5. Between 0 and 200 pixels.", "{body}");

    // A single sentence: its phrase beside the message.
    let response = admin.call("update_expiry", &[("hours", "2147483647")]).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["message"].as_str(), body["phrase"]["id"].as_str()),
        (Some("That is too many hours."), Some("err-inbox-expiry-too-long"))
    );
    // A code's own sentence needs no phrase.
    let op = app.member(&acme, Role::Operator).await;
    let body: Value = op.call("get_lead_form_settings", &[]).await.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert!(body.get("phrase").is_none(), "{body}");
}

#[tokio::test]
async fn the_widget_hears_its_own_language() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let settings = LeadFormSettings { prechat: true, name: Ask::Required, email: Ask::Required, ..Default::default() };
    assert_eq!(admin.save_lead_forms(&settings).await.status(), 200);

    // A refusal of a widget call, in the language the widget names.
    let visitor = app.visitor(&acme).await;
    let form = json!({ "form": "prechat", "values": { "email": "nope" } });
    let (status, english) = submit_lead(&app, &acme, &visitor.token, "en", form.clone()).await;
    let (_, spanish) = submit_lead(&app, &acme, &visitor.token, "es", form.clone()).await;
    assert_eq!(status, 400, "{english}");
    assert_eq!(
        field_messages(&english),
        [("name", "Please fill this in."), ("email", "An email address is written name@example.com.")]
    );
    assert_eq!(
        field_messages(&spanish),
        [("name", "Rellena este campo."), ("email", "Una dirección de correo se escribe nombre@ejemplo.com.")]
    );
    assert_eq!(spanish["message"], "Rellena este campo. Una dirección de correo se escribe nombre@ejemplo.com.");
    // A language the catalogs lack gets English.
    let (_, german) = submit_lead(&app, &acme, &visitor.token, "de-DE,de;q=0.9", form).await;
    assert_eq!(field_messages(&german), field_messages(&english));
    // The widget's own refusals too.
    let unknown = reqwest::Client::new()
        .get(format!("{}/widget/v1/no-such-key/config", app.base))
        .header("Origin", SITE)
        .header("Accept-Language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["message"], "Clave de widget desconocida.");

    // The pre-chat form's labels: the visitor's browser language (kept on the contact)...
    let spanish_visitor: parley_types::WidgetSession = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, acme.key))
        .header("Origin", SITE)
        .header("Accept-Language", "es-ES,es;q=0.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let labels = |session: &parley_types::WidgetSession| -> Vec<String> {
        session.prechat.as_ref().expect("a pre-chat form").fields.iter().map(|f| f.label.clone()).collect()
    };
    assert_eq!(labels(&spanish_visitor), ["Nombre", "Correo electrónico"]);
    assert_eq!(labels(&app.visitor(&acme).await), ["Name", "Email"]);
    // ...unless the workspace chose the widget's language.
    let mut config = admin.widget_config().await;
    config.language = "es".into();
    assert_eq!(admin.save_widget_config(&config).await.status(), 200);
    assert_eq!(labels(&app.visitor(&acme).await), ["Nombre", "Correo electrónico"]);

    // A socket refusal, in the language the widget offered in the handshake.
    let protocols = format!("{}, lang.es", support::visitor_protocols(&visitor.token));
    let mut socket: Socket<VisitorEvent> =
        Socket::connect(&app.visitor_socket_url(&acme), &[("Origin", SITE), ("Sec-WebSocket-Protocol", &protocols)])
            .await;
    let too_long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    socket.send(&ClientEvent::Send { client_id: "v-1".into(), text: too_long, attachments: vec![] }).await;
    let refusal = socket.wait_for(|e| if let VisitorEvent::Error(e) = e { Some(e) } else { None }).await;
    assert_eq!(refusal.message, format!("Un mensaje puede tener como máximo {MAX_MESSAGE_CHARS} caracteres."));
}
