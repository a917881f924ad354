# UI texts of the bot, English. Telegram HTML is allowed: <b>, <i>, <a href="…">.
# Keep the same message ids in ru.ftl and kk.ftl.

## Language names (shown on the language buttons, always in their own language)
language-name = English

## Main menu
welcome =
    Hi! This is a safe place to ask about drugs, health and your rights — without judgement.

    🔒 We never see your name or number. /privacy says exactly what is kept and for how long; /forget erases it all, this chat included.

    What do you need right now?
menu-title = What do you need?
menu-info = 📖 Safety information
menu-emergency = 🆘 Emergency / overdose
menu-consult = 💬 Talk to a consultant
menu-services = 📍 Services and referrals
menu-language = 🌐 Language
menu-privacy = 🔒 Privacy
button-menu = 🏠 Menu
button-back = ⬅️ Back

## Safety information
info-sections = 📖 <b>Safety information</b>

    Choose a topic. These texts were written by peers, following international harm-reduction guidance. They are general information: for your own situation, ask a consultant.
info-section = 📖 <b>{ $section }</b>
info-empty =
    Safety information is being updated. Please try again later, or write to a consultant.

    { emergency-numbers }
info-card-missing = This card has been moved or removed. Here are the topics we have now.
info-disclaimer = <i>ℹ️ This is information, not medical advice. If you feel unwell, see a doctor; in an emergency call { $ambulance }.</i>
info-card-footer = Questions about this? A consultant can answer anonymously.
button-talk = 💬 Talk to a consultant
button-back-to-section = ⬅️ { $section }
button-all-topics = 📖 All topics

## Emergency
emergency-fallback =
    🆘 <b>Emergency</b>

    Call an ambulance now: <b>{ $ambulance }</b> (or <b>{ $general }</b> from any phone). Put it on speaker: the dispatcher will guide you.
    If the person does not respond, check their breathing for up to 10 seconds. Very slow, occasional gasping, or gurgling breaths are <b>not</b> normal breathing.
    1. <b>Not breathing normally</b> → call <b>{ $ambulance }</b> if nobody has yet, and start CPR: heel of your hand on the centre of the chest, the other hand on top, arms straight; push 5–6 cm deep, 100–120 times a minute. Not trained in rescue breaths: pushes only, without pauses. Trained: 2 breaths after every 30 pushes.
    2. <b>Naloxone</b>: if opioids may be involved (tramadol, methadone, heroin, unknown pills or powder) or you do not know what was taken, give it as early as you can: it does no harm without opioids. Two of you: one keeps pushing, the other gives naloxone. On your own: pause only for the injection or the spray, then go straight back to pushing. No normal breathing after 2–3 minutes → another dose.
    3. <b>Breathing normally again</b> → turn them on their side (recovery position) and stay until help arrives: naloxone can wear off before the opioid does.
button-urgent-consult = 💬 Reach a consultant now

## Services
services-regions = 📍 <b>Services and referrals</b>

    Friendly places for testing, treatment, OST, psychologists and lawyers. Choose your city or region. Not listed, or no verified contacts yet? A consultant can help you find a service near you.
services-empty =
    The services directory is being updated. A consultant can help you find help near you.

    { emergency-numbers }
services-sample-note = ⚠️ <i>Sample entry: the organisation has not filled in verified contacts for this place yet.</i>
services-missing = This place is no longer in the directory. Here is the current list.

## Language
language-choose = 🌐 Choose your language:
language-changed = Done, I will speak English now.

## Privacy
privacy =
    🔒 <b>What is kept, where, and for how long</b>

    <b>In the bot's database</b> (on the organisation's server):
    • a code made from your Telegram account with a secret key: without the key nobody can turn it back into your account;
    • a random nickname for consultants, such as "Client 4F7K";
    • your chat number, encrypted, so that the bot can reply;
    • your language, if you chose one, and the day you last wrote (the day only);
    • for a conversation with a consultant: its subject, your region if you chose to say it, your rating, the numbers (never the text) of the messages passed between you, and the team's notes on it, encrypted;
    • the numbers (never the text) of the messages in this chat from the last 48 hours, so that "Clear this chat" can delete them.
    Your name, username, phone number, photo and the text of your messages are never stored. A message waiting to be delivered is held encrypted, for seconds.
    All of it is deleted { retention-days } after your conversation ends (without a conversation: { retention-days } after you last wrote).

    <b>In the team's private chat</b>: your messages are copied there under your nickname, never forwarded (so your account stays hidden), and consultants cannot forward or save them. The conversation's topic is deleted { retention-days } after it ends.

    <b>In this chat, on your phone</b>: the conversation stays until it is deleted. { $topics ->
        [yes] It has its own topic here, which "🧹 Clear this chat" deletes whole at any time; it is also deleted { retention-days } after the conversation ends.
       *[other] "🧹 Clear this chat" deletes the messages of the last 48 hours: Telegram does not let bots delete older ones. Delete the rest yourself: chat menu → "Clear history" or "Delete chat".
    }

    <b>In Telegram itself</b>: the chat with the bot is also stored on Telegram's servers until it is deleted. Telegram knows your account's phone number and the IP addresses you connect from. Its own privacy policy says it may give your phone number and IP address to the authorities on a court order naming you as a suspect in a criminal case. We cannot change that. What you can do:
    • use a separate account, on another number, for conversations like this;
    • set a passcode on Telegram (Settings → Privacy and Security → Passcode Lock);
    • turn on the auto-delete timer in this chat (chat menu → "Auto-Delete");
    • after a conversation, tap "🧹 Clear this chat" or send /forget.

    /forget erases everything at once: the database, the team's topic and this chat.
button-forget = 🗑 Erase my data

## Forget
forget-confirm =
    🗑 <b>Erase everything about you?</b>

    This deletes your code, nickname, encrypted chat number and language choice, the topics of your conversations in the team's chat, and the conversation in this chat. It cannot be undone. Next time you write, you start as a new person.
forget-yes = Yes, erase everything
forget-no = No, keep it
forget-cancelled = Nothing was erased.
forget-done = ✅ <b>Erased.</b> We deleted: { $what }.
forget-nothing = ✅ We held nothing else about you: there was nothing more to erase.
forget-item-client = your code and nickname ({ $pseudonym })
forget-item-chat = your encrypted chat number
forget-item-language = your language choice
forget-item-cases =
    { $count ->
        [one] your conversation with a consultant, with its topic in the team's chat and every copy of your messages in it
       *[other] your { $count } conversations with consultants, with their topics in the team's chat and every copy of your messages in them
    }

## Unexpected input
unknown-command =
    I don't know that command. The menu below shows what I can do.

    { emergency-numbers }
unsupported-message =
    I can't read that kind of message here. Please use the menu below.

    { emergency-numbers }
free-text =
    I'm a bot and can't answer free text yet. Choose what you need below, or press “Talk to a consultant”.

    { emergency-numbers }
stale-button = This button is out of date. Here is the current menu.
error-generic =
    Sorry, something went wrong on our side. Please try again.

    { emergency-numbers }

## Commands (shown in Telegram's menu; at most 256 characters, no HTML)
command-start = Main menu
command-help = Emergency: overdose or bad reaction
command-info = Safety information
command-services = Services and referrals
command-language = Change language
command-privacy = What we store about you
command-forget = Erase all your data

## Talking to a consultant (intake, queue, consultation)
intake-topic =
    💬 <b>Talk to a consultant</b>

    A peer consultant will answer you here, in this chat. What is it about?
topic-substances = 💊 Substances and safety
topic-mental = 🧠 Mental health and support
topic-hiv = 🩺 HIV, hepatitis, STIs, testing
topic-legal = ⚖️ Legal help
topic-social = 🤝 Social and medical services
topic-other = 💬 Something else
intake-describe = In a few words, what is going on? You can also skip this and just talk to the consultant.
intake-skip = Skip
intake-cancel = Cancel
intake-use-buttons =
    Please choose one of the buttons above, or press Cancel.

    { emergency-numbers }
intake-reminder =
    🔒 <b>Before we connect you</b>

    The consultant sees only your nickname <b>{ $pseudonym }</b> and what you send here. Your messages are copied into the team's private chat, never forwarded: they do not see your name, username, phone number or photo (and you do not see theirs), and they cannot forward or save your messages. The team's copy is deleted after the conversation ends (/privacy says when), or at once with /forget.
    Please don't send your location, your contact or photos of documents.
intake-confirm = ✅ Connect me
intake-cancelled = Okay, nothing was sent. You can come back any time with /consult.
intake-no-location = 📍 Locations and contacts are never passed on: they would show who and where you are. Describe it in words instead, e.g. "a district of Almaty".
consult-queued =
    ✅ You are in the queue: place <b>{ $place }</b>.

    Write here whatever you want the consultant to know; they will see it when they join. /status shows your place, /end leaves the queue.
consult-on-duty = 🟢 Consultants are on duty now.
consult-off-duty =
    🌙 The team is off duty now and will be back on { $when }. Your messages will be waiting for them.

    { emergency-numbers }
consult-urgent =
    🆘 <b>You are first in line.</b> A consultant will answer as soon as possible.

    If someone is in danger right now, don't wait: call <b>{ $ambulance }</b> or <b>{ $general }</b>. Unconscious and not breathing normally: start CPR; if opioids are possible or you don't know what was taken, give naloxone. /help shows the steps.
consult-already-open = You already have an open conversation with a consultant: just write here. /status shows where it stands, /end ends it.
consult-joined = 👋 <b>{ $alias }</b> has joined the conversation.
consult-status-waiting = ⏳ You are in the queue: place <b>{ $place }</b>.
consult-status-active = 💬 You are talking with <b>{ $alias }</b>.
consult-status-none = You have no open conversation. Press “Talk to a consultant” in the menu to start one.
consult-end-confirm = End the conversation with the consultant?
consult-end-yes = Yes, end it
consult-end-no = No, continue
consult-ended =
    ✅ The conversation has ended. Thank you for reaching out.

    The team's copy is deleted in { retention-days }. In this chat it stays until you delete it: "🧹 Clear this chat" below does it now.

    How helpful was it? (1 = not at all, 5 = very)
consult-rated = Thank you! Your rating helps us improve. Come back any time: /consult.
consult-banned =
    Sorry, this service is not available to you.

    { emergency-numbers }
consult-unsupported =
    This kind of message can't be passed to the consultant. Text, photos, videos, voice and files work.

    { emergency-numbers }
command-consult = Talk to a consultant
command-status = Where my conversation stands
command-end = End the conversation
consult-comment-invite = If you want, write a comment in your next message: it goes to the team, anonymously.
consult-comment-thanks = Thank you, the team will read it. 💚

## Staff side (the consultants' inbox). Shown in DEFAULT_LANGUAGE.
staff-client = Client { $pseudonym }
staff-topic-substances = Substances and safety
staff-topic-mental = Mental health
staff-topic-hiv = HIV, hepatitis, STIs
staff-topic-legal = Legal help
staff-topic-social = Social and medical services
staff-topic-other = Other
staff-card =
    <b>Client { $pseudonym }</b> · case #{ $id }
    Topic: { $topic }{ $urgent }
    Opened: { $opened } (waiting { $waited } min)
    Earlier cases: { $earlier }
    Status: { $status }

    <i>Reply in this topic to talk to the client. Start a message with ! or use /note to keep it internal. /close ends the case.</i>
staff-card-urgent = {" "}· 🆘 <b>URGENT</b>
staff-status-waiting = ⏳ waiting
staff-status-waiting-for = ⏳ waiting for: { $specialty }
staff-status-active = 💬 with { $alias }
staff-status-closed = ✅ closed
staff-take-button = ✋ Take
staff-default-alias = Consultant
staff-taken-by = { $alias } already has this case.
staff-overloaded = You already have { $active } active case(s), the limit. /release one first.
staff-case-closed = This case is closed.
staff-case-gone = This case no longer exists.
staff-yours = The case is yours.
staff-took = ✋ { $alias } took the case.
staff-set-alias = (Set the name clients see with /alias.)
staff-in-case-only = Use this command inside a case topic.
staff-alias-usage = Usage: /alias NAME (up to 32 characters), the name clients will see.
staff-alias-set = Clients will see you as “{ $alias }”.
staff-released = ↩️ Back in the queue.
staff-release-active-only = Only an active case can be released.
staff-transferred = 🔀 Transferred to { $alias }.
staff-waiting-specialty = 🔀 Waiting for: { $specialty }. Back in the queue.
staff-transfer-usage = Usage: reply to a colleague’s message with /transfer, or /transfer SPECIALTY, one of: { $types }
staff-refer-usage = Usage: /refer { $types } (several allowed).
staff-refer-unknown = Unknown referral: { $unknown }. Use: { $types }
staff-referrals = 🏷 Referrals: { $list }
staff-snippets = 📋 Snippets (send with /snippet NAME):
staff-no-snippets = No snippets in content/snippets.
staff-no-snippet = No snippet “{ $name }”. /snippets lists them.
staff-unbanned = The client can open cases again.
staff-banned = 🚫 The client is banned; /unban in this topic reverses it.
staff-closed-by-client = 🔚 The client ended the conversation.
staff-closed = 🔚 Case closed.
staff-client-blocked = 🚫 The client has blocked the bot; the case is closed. Nothing more can reach them.
staff-topic-recreated = ♻️ The previous topic of this case was deleted; the conversation continues here.
staff-client-comment = 💬 The client left a comment after the case:
staff-client-forgot = 🗑 A client erased their data with /forget: { $count ->
        [one] the topic of their case was
       *[other] the topics of their { $count } cases were
    } deleted from this group.
staff-queue = 📋 <b>Queue</b>: { $count } waiting
staff-queue-empty = Nobody is waiting.
staff-reminder = ⏰ { $urgent }{ $client } ({ $topic }) has been waiting { $minutes } min.
staff-reminder-urgent = 🆘 URGENT:{" "}
staff-stats-usage = Usage: /stats [period]: { $error }
staff-export-usage = Usage: /export [period]: { $error }
staff-export-caption = Cases, { $period }: no identities, figures only.
staff-stats =
    📊 <b>Cases, { $period }</b>
    Opened { $opened } (urgent { $urgent }) · closed { $closed }
    { $topics }
    Wait until taken: median { $waitMedian }, 90% within { $waitP90 } ({ $waitCount } cases)
    First response: median { $respMedian }, 90% within { $respP90 } ({ $respCount } cases)
    Referrals: { $referrals }
    Ratings: { $ratings }
staff-stats-topic = • { $topic }: { $opened } opened, { $closed } closed
staff-none = none
flood-slow-down = 🐢 You are sending messages very fast. Everything for a consultant still reaches them, in order; please slow down a little.

## Leaving no trace (Clear this chat, /forget, retention)
retention-days =
    { $retention } { $retention ->
        [one] day
       *[other] days
    }
button-clear-chat = 🧹 Clear this chat
clear-confirm =
    🧹 <b>Clear this chat?</b>

    The bot deletes your conversation from this chat: its messages and yours. What we keep stays (that is /forget).
clear-yes = 🧹 Yes, clear it
clear-no = No, keep it
clear-done = 🧹 <b>Done.</b> { $topics ->
        [0] { $messages ->
            [0] There was nothing recent to delete.
            [one] Deleted 1 recent message.
           *[other] Deleted { $messages } recent messages.
        }
       *[other] Deleted the conversation topics ({ $topics }) with everything in them, and { $messages } other recent messages.
    }
clear-rest-yourself = Older messages, if any, the bot cannot delete (Telegram allows 48 hours). To remove them: chat menu → "Clear history" or "Delete chat".
consult-topic-name = 💬 Conversation
consult-topic-opened = 💬 Your conversation has its own topic, "💬 Conversation": write there. "🧹 Clear this chat" in /privacy deletes it whole.
staff-client-forgot-open = 🗑 A client with an open case erased their data with /forget: { $count ->
        [one] the topic of their case was
       *[other] the topics of their { $count } cases were
    } deleted from this group. Nothing more can reach them.
staff-deletions-pending = ⚠️ { $count } topic(s) or message(s) of erased or expired cases could not be deleted from this group: the bot lacks the administrator right <b>{ $rights }</b>. Give it in the group settings → Administrators → the bot. The bot tries again at the next purge (daily, or <code>npm run purge</code>).

# Staff chat membership and lockdown (issue 11)
staff-member-joined = 👤 <b>{ $name }</b> joined the staff chat.
staff-member-left = 🚪 <b>{ $name }</b> left the staff chat.
staff-member-removed = 🚪 <b>{ $name }</b> was removed from the staff chat.
staff-member-promoted = ⭐ <b>{ $name }</b> is now an administrator of the staff chat.
staff-member-demoted = <b>{ $name }</b> is no longer an administrator of the staff chat.
staff-member-restricted = 🔇 <b>{ $name }</b> was restricted in the staff chat.
staff-member-unrestricted = <b>{ $name }</b> is no longer restricted in the staff chat.
staff-member-rights = ⭐ The administrator rights of <b>{ $name }</b> changed.
staff-member-by = (by { $name })
staff-member-via-link = (through an invite link)
staff-member-warning = Membership of this chat gives access to every open case. If you do not recognise this change, press 🔒 Lockdown at once.
staff-lockdown-button = 🔒 Lockdown
staff-lockdown-on =
    🔒 <b>Inbox locked</b> by { $name }.
    Nothing is relayed to or from clients and new cases get no topic; client messages wait in the bot, nothing is lost. What the team writes in case topics meanwhile is not sent, not even later.
    Check the member list, remove anyone you do not know, then an administrator sends /unlock.
staff-lockdown-already = 🔒 The inbox is already locked (since { $when }). An administrator ends it with /unlock.
staff-unlock-denied = 🔒 Only an administrator of this chat can unlock the inbox.
staff-unlock-not-locked = The inbox is not locked.
staff-unlocked = 🔓 <b>Inbox unlocked</b> by { $name }. Client messages waiting: { $count }; they now go out in order.
staff-locked-not-sent = 🔒 The inbox is locked: nothing written in case topics reaches clients, and this was NOT sent. Send it again after /unlock.
staff-locked-button = 🔒 The inbox is locked until an administrator sends /unlock.
staff-queue-locked = 🔒 <b>Inbox locked</b> since { $when }: client messages wait in the bot; an administrator ends it with /unlock.
staff-bot-not-admin = ⚠️ <b>The bot is no longer an administrator</b> of this chat (changed by { $name }): it cannot see who joins or leaves any more, nor manage case topics. Make it an administrator again, and check the member list.
lockdown-client-waiting =
    ⏸ The team's inbox is paused for a short while. Your messages are saved and will be delivered to the team as soon as it reopens; nothing is lost. If it is an emergency, /help shows what to do right now.

    { emergency-numbers }

## Fairness and abuse limits (bans outlive /forget, emergency cooldown, intake caps)
privacy-bans = 🚫 If the team bars someone from consultations, we keep a separate code of that ban, made with our secret key the same way (it does not show who you are), for { $days } days. /forget does not erase it, otherwise a ban could be undone by erasing data.
staff-emergency-again = 🆘 The client pressed the emergency button again: the case is back in the queue, urgent.
intake-too-many =
    That did not fit the questions, so I stopped the request here; nothing was sent. You can start again whenever you like.

    { emergency-numbers }
intake-too-long = That is a lot for a first message: please keep it within { $max } characters (tell the consultant the rest), or press Skip.

## Content lists, sample services, emergency numbers everywhere (issue 13)
# The numbers come from content/settings.yml (emergency_numbers). 111 and 150: verify their remit locally.
emergency-numbers =
    🆘 Life in danger: call <b>{ $ambulance }</b> (ambulance) or <b>{ $general }</b>, free from any phone.
    💭 Thoughts of suicide, or not safe at home: if it is urgent, the same numbers; to talk, free 24/7 lines: <b>{ $trust_line }</b> (trust line, mainly for children and young people) and <b>{ $contact_centre }</b> (state contact centre for family, women and children, including violence).
services-not-verified =
    📍 <b>{ $region }</b>: we have no verified contacts here yet, so we show none rather than wrong ones. A consultant can help you find a service near you.

    { emergency-numbers }
topic-women = 🌸 Women: health, pregnancy, safety
staff-topic-women = Women: health, pregnancy, safety

## Editors chat and publishing reports (issue 13). Shown in DEFAULT_LANGUAGE; values arrive escaped.
editors-usage = Usage: /{ $command } SLUG{ $force } (see /upcoming for slugs)
editors-no-post = No valid post "{ $query }". Check the name, or /reload if you just added it.
editors-several = "{ $query }" matches several posts:
    { $list }
editors-draft-mark = (draft)
editors-cron = cron "{ $cron }"
editors-cron-until = cron "{ $cron }" until { $until }
editors-upcoming-title = 🗓 <b>Upcoming publications</b> ({ $timezone })
editors-upcoming-none = Nothing scheduled.
editors-upcoming-drafts = 📝 { $count } draft(s) not scheduled.
editors-upcoming-problems = ⚠️ { $count } problem(s) in post files: /reload shows them.
editors-preview = 👁 Preview of { $post }
editors-next = Next: { $when }
editors-preview-failed = ❌ Preview of <code>{ $file }</code> failed: { $error }
editors-publish-draft =
    📝 <code>{ $slug }</code> is a draft (<code>draft: true</code>), so it was not published. Remove the draft line and /reload, or publish it anyway with:
    <code>/publish { $slug } force</code>
editors-skipped = ⏭ Skipped the publication of { $when }: { $post }
editors-nothing-to-skip = Nothing upcoming to skip for { $post }
editors-reloaded = 🔄 Reloaded: { $count } post(s).
editors-problems = ⚠️ <b>Content files skipped</b> (the rest keeps its schedule):
editors-problems-more = … and { $count } more (npm run content:check lists all)
editors-warnings = 📋 <b>Content to review</b>: { $count } note(s) (cards without sources or a review in the last year, texts a language lacks). Nothing was skipped; npm run content:check lists them all.
publishing-interrupted = ⚠️ The bot stopped while publishing <code>{ $slug }</code> to { $channel }. It may or may not have appeared: check the channel, and use /publish if it is missing.
publishing-gave-up = ❌ Gave up publishing <code>{ $slug }</code> to { $channel } after { $attempts } attempts: { $error }
publishing-missed =
    ⏭ Not published because the bot was down for longer than { $hours } h:
    { $list }
    Use /publish SLUG to publish one now.
publishing-unknown-channel = ❌ <code>{ $file }</code>: channel "{ $channel }" is not in CHANNELS; not published.
publishing-retrying = ❌ Could not publish <code>{ $file }</code> to { $channel }: { $error }. Retrying in { $minutes } min. Is the bot an admin of the channel with the right to post?
editors-sync-nothing = nothing published yet
editors-sync-caption = caption updated; media files cannot be replaced
editors-sync-parts = the post now has { $now } message(s) instead of { $before }; not edited
editors-sync-updated = { $count } message(s) updated
editors-sync-updated-poll = { $count } message(s) updated; polls cannot be edited
editors-outcome-sent = sent
editors-outcome-failed = failed (the editors chat is told why; retried automatically)
editors-outcome-not-ours = already published or being published
staff-command-take = Take this case
staff-command-release = Put this case back in the queue
staff-command-transfer = Reply to a colleague, or give a specialty
staff-command-close = End this case
staff-command-note = An internal note (never sent to the client)
staff-command-alias = The name clients see
staff-command-snippets = List canned answers
staff-command-snippet = Send a canned answer: /snippet NAME
staff-command-refer = Tag referrals: /refer lawyer hiv-test
staff-command-code = Send the client a referral code: /code TYPE [PLACE]
staff-command-ban = Ban this client
staff-command-unban = Lift the ban
staff-command-stats = Figures: /stats [7d|month|2026-11]
staff-command-export = Figures as CSV: /export [period]
staff-command-lockdown = Pause relaying at once (a stranger in this chat?)
staff-command-unlock = End a lockdown (administrators only)
editors-command-upcoming = Next channel publications
editors-command-preview = Preview a post: /preview SLUG
editors-command-publish = Publish a post now: /publish SLUG
editors-command-skip = Skip the next occurrence: /skip SLUG
editors-command-sync = Update a published post: /sync SLUG
editors-command-reload = Reload the content folder

## Referral and pick-up codes (partners redeem them; issue #14)
code-issued =
    🎟 Your code: <b>{ $code }</b>
    For: { $type }
    Where: { $place }
    Valid until: { $until } (one time only)

    Show this code on your screen or say it aloud there: that is all they need. Nobody will ask your name for it, and the code tells them nothing about you.
code-any-place = any of our partner services (a consultant can tell you the nearest)
code-type-psychologist = psychologist
code-type-addiction = addiction specialist
code-type-infectious = infectious disease doctor
code-type-lawyer = lawyer
code-type-hiv-test = HIV and hepatitis test
code-type-ost = opioid substitution therapy
code-type-social = social worker
code-type-naloxone = naloxone
code-type-hiv-self-test = HIV self-test kit
code-type-condoms = condoms and lubricant
code-pickup-button = 🎟 Get a pick-up code
code-pickup-choose = What would you like to pick up in { $place }? You get a one-time code to show there, valid for { $days } days. No name, no documents.
code-pickup-limit = You already have { $limit } pick-up codes from the last { $days } days, the most for now. Use the ones you have, or ask a consultant: /consult
code-pickup-unavailable = Pick-up codes are not available here right now.
redeem-not-partner = Only partner organisations can redeem codes.
staff-card-codes = 🎟 <b>Codes</b>
staff-card-code = • { $type } · { $place } · { $status }
staff-code-any-place = any place
staff-code-status-valid = ⏳ not used yet
staff-code-status-redeemed = ✅ redeemed
staff-code-status-expired = ⌛ expired
staff-code-usage = Usage: /code TYPE [PLACE]. Types: { $types }. Places: { $places }.
staff-code-unknown-type = Unknown type “{ $type }”. Types: { $types }.
staff-code-unknown-place = Unknown place “{ $place }”. Places: { $places }.
staff-code-sent = 🎟 A one-time code for <b>{ $type }</b> ({ $place }) was sent to the client, valid for { $days } days. It is listed on the case card.
staff-code-not-delivered = ⚠️ A code for <b>{ $type }</b> ({ $place }) was issued, but it could not be sent to the client (they may have blocked the bot).
partner-redeem-usage = Send the code the client shows you, e.g. /redeem K7Q-M4X (or just K7Q-M4X).
partner-code-unknown = ❌ There is no code “{ $code }”. Check the letters and digits with the client.
partner-code-redeemed =
    ✅ <b>{ $code }</b> is valid and is now marked as used.
    For: { $type }
    Place: { $place }
    You may add what happened (optional):
partner-code-used = ⚠️ <b>{ $code }</b> ({ $type }, { $place }) was already used on { $on }. It cannot be used twice.
partner-code-expired = ⌛ <b>{ $code }</b> ({ $type }, { $place }) expired on { $until }. The client can ask the bot for a new one.
partner-outcome-tested = 🧪 Tested
partner-outcome-treatment-started = 💊 Treatment started
partner-outcome-supplies-given = 📦 Supplies given
partner-outcome-counselled = 💬 Counselled
partner-outcome-referred-on = ➡️ Referred on
partner-outcome-saved = Saved, thank you.
partner-outcome-already = An outcome is already recorded for this code.
followup-button = 🔔 Remind me before it expires, and ask me later
followup-on = 🔔 Done: I will remind you on { $remind } and ask once on { $ask } how it went. Nothing else; /forget stops it.
followup-on-no-reminder = 🔔 Done: I will ask once on { $ask } how it went. Nothing else; /forget stops it.
followup-unavailable = This code no longer needs that.
followup-reminder = ⏰ A reminder: your code <b>{ $code }</b> ({ $type }) is valid until { $until }.
followup-question = 🎟 Your code <b>{ $code }</b> ({ $type }): did you get there, and was it OK? Only the count of answers is kept, never who answered.
followup-answer-ok = 👍 Yes, it was OK
followup-answer-not-ok = 👎 I went, but it was not OK
followup-answer-not-yet = 🚫 I did not go
followup-thanks = Thank you, that helps us.
staff-cascade-title = 🎟 <b>Referral codes</b>, issued { $period }:
staff-cascade-line = • <b>{ $type }</b> · { $place }: issued { $issued } → redeemed { $redeemed } ({ $percent }), median { $median } d · outcomes: { $outcomes } · follow-up: { $answers }
staff-cascade-all-places = all places
staff-cascade-none = No codes were issued { $period }.
staff-cascade-issued = issued
staff-cascade-redeemed = redeemed
staff-cascade-ok = “it was OK”
staff-cascade-chart-title = Referral cascade, { $period }
staff-cascade-export-caption = Referral cascade, { $period }: by month, type and place; counts only, nothing about anyone.
forget-item-codes = the link between you and your { $count } code(s) (a code you still have works once at the partner; it is counted for nobody)
privacy-codes = 🎟 A referral or pick-up code is kept with its type, place and dates, linked to you only until /forget or until your data expires; after that it is only a number in our statistics. Partners who redeem it learn nothing about you, and we do not note who redeemed it.

# Relay: a message the bot may have sent twice (it restarted while sending it)
relay-maybe-repeat = 🔁 The message above may be a repeat: the bot restarted while sending it.
staff-maybe-repeat = 🔁 Possibly repeated: the bot restarted while sending the message above.
# Several inboxes (issue 12, part 3): the optional region step of the intake, the region on the case card,
# and the lockdown notice every inbox gets. Labels: region-<id> (client) and staff-region-<id> (card) per
# id of `regions` in settings.yml.
intake-region =
    📍 <b>Which region are you in?</b>
    We ask only to connect you with the team that works in your area. You do not have to say: “I'd rather not say” is fine, and you will be helped just the same.
intake-region-skip = I'd rather not say
staff-card-region = Region: { $region }
staff-lockdown-all = All inboxes are locked; it began in the inbox “{ $inbox }”.
staff-unlock-all = All inboxes are unlocked; from the inbox “{ $inbox }”.
staff-transferred-in = ↪️ This case was moved here from the <b>{ $from }</b> inbox. Take it to answer.
staff-transferred-out = ↪️ A case was moved to the <b>{ $to }</b> inbox; its topic here is deleted.

## review
# Who checked a text (issue 20): shown only for a current sign-off in the text's front matter (review:).
review-checked-clinician = ✅ Checked by the organisation's doctor on { $date }.
review-checked-lawyer = ✅ Checked by the organisation's lawyer on { $date }.
review-not-checked-clinician = 📝 Written from WHO and other public health guidance; our doctor has not reviewed this card yet.
review-not-checked-lawyer = 📝 General information, not yet reviewed by our lawyer. Laws change: ask a consultant about your situation.
# Shown instead of a sentence with an [[ORG: …]] placeholder the organisation has not filled in yet.
review-org-pending = Ask a consultant about this: the details are being confirmed locally.
# The mixing checker (/mix): names, reasons and advice are in content/mix/en.yml.
command-mix = Mixing: how risky two substances are together
button-mix = 🧪 Check a mix of two substances
button-mix-again = 🧪 Another mix
mix-choose-first = 🧪 <b>Mixing</b>: choose the first substance.
mix-choose-second = 🧪 First: <b>{ $first }</b>. Now choose the second.
mix-result-title = 🧪 <b>{ $first } + { $second }</b>
mix-level-dangerous = ⛔ <b>Dangerous</b>
mix-level-high = 🔴 <b>High risk</b>
mix-level-caution = 🟠 <b>Caution</b>
mix-level-unknown = ❓ <b>Unknown: ask a consultant</b>
mix-why = <b>Why:</b> { $text }
mix-do = <b>What to do:</b> { $text }
mix-missing = We have no information on this mix yet. Ask a consultant before you take them together.
mix-emergency = 🆘 Can't be woken, slow or strange breathing, blue lips, a seizure, chest pain or overheating: call <b>{ $ambulance }</b> now (<b>{ $general }</b> from any phone).
mix-general = <i>ℹ️ General guidance ({ $sources }), not yet reviewed by our doctor. No mix is without risk: ask a consultant about your situation.</i>
mix-signed = <i>✅ Checked by the organisation's doctor on { $date }. Sources: { $sources }. No mix is without risk.</i>
mix-empty =
    The mixing checker is not available right now. A consultant can tell you about a mix.

    { emergency-numbers }

## staff
staff-command-bans = Bans in force, by day (administrators only)
staff-sender-refused = 🚫 A message sent as the group (an anonymous administrator) or on behalf of a channel was ignored: nobody can tell who wrote it, so it is not acted on and not sent to a client. To act as staff, write as yourself (administrators: turn off “Remain anonymous” in your rights).
staff-membership-unknown = ⚠️ Telegram could not confirm just now that you are a member of this group, so this was not acted on or sent. Try again in a minute.
staff-transfer-not-member = That person is not a member of this group now: the case stays where it is.
staff-unlock-denied-elsewhere = 🔒 The lockdown began in the inbox “{ $inbox }”: only an administrator of that group can unlock, after checking its member list.
staff-unlock-held = 🔒 <b>Still locked.</b> { $count } messages from the team to clients were queued before or during the lockdown and are held: they may be an intruder's. Read them in the topics:
staff-unlock-held-line = • { $topic }: { $count } (from { $name })
staff-unlock-held-more = … and { $count } more topics
staff-unlock-held-how = Unlock and send them: <code>/unlock send</code>. Unlock and drop them (none of them reaches a client): <code>/unlock drop</code>.
staff-unlock-dropped = { $count } held messages from the team were dropped, not sent.
staff-group-settings-unsafe = ⚠️ <b>This group's settings put clients at risk</b>: { $list }. An administrator should fix it now in the group's settings (README, “Running the staff group safely”); the inbox keeps working meanwhile.
staff-group-visible-history = new members can read every earlier message, every case included (<i>Chat history for new members: Visible</i>)
staff-group-not-protected = messages can be forwarded and saved out of the group (<i>Restrict saving content</i> is off)
staff-group-settings-fixed = ✅ This group's settings are safe again: new members do not see earlier messages, and messages cannot be saved out of the group.
partner-too-many-unknown = ⏳ Too many unknown codes from you in the last hour: slow down and try again later. If a client's code does not work, ask them to check it letter by letter.
staff-partner-guessing = ⚠️ A partner account ({ $name }) entered { $count } unknown codes within an hour; its redemptions are paused for an hour. Guessing uses up clients' codes: please check with the partner.
staff-unban-unknown = No client { $pseudonym } is known (any more), so no ban can be lifted for them.
staff-unban-not-banned = Client { $pseudonym } is not banned.
staff-unbanned-pseudonym = Client { $pseudonym } is no longer banned.
staff-bans = 🚫 <b>Bans in force</b> (each for { $days } days): { $count }
    { $list }
staff-bans-line = • { $on }: { $count }
staff-bans-none = No bans are in force.
staff-bans-admins-only = Only an administrator of this group can list bans.

## keying
staff-case-moved = This case is no longer in this topic (it moved to another inbox or topic). Its card in its current topic has the button.
staff-not-sent-held = ℹ️ Not sent to the client: { $alias } has this case, so your messages in this topic stay internal.
staff-topic-regrouped = ♻️ This case's previous topic was in another group (the inboxes were reconfigured); the conversation continues here.

## rows
clear-refused = { $count ->
        [one] 1 message could not be deleted
       *[other] { $count } messages could not be deleted
    }: Telegram lets bots delete messages only for 48 hours (and a dice only after a day). Delete { $count ->
        [one] it
       *[other] them
    } yourself: press and hold → Delete.
clear-not-reached = { $count ->
        [one] 1 message was not deleted
       *[other] { $count } messages were not deleted
    }: Telegram did not answer. Try "🧹 Clear this chat" again in a few minutes.
clear-topics-left = { $count ->
        [one] 1 conversation topic could not be deleted
       *[other] { $count } conversation topics could not be deleted
    } now. Try again in a few minutes, or delete { $count ->
        [one] it
       *[other] them
    } yourself.
privacy-pickups = 🎟 So that the pick-up limit holds, we count the pick-up codes you asked for under a separate code made with our secret key (it does not show who you are), by day, for { $days } days. /forget does not erase this count before then.
staff-mention-removed = ℹ️ Your message went to the client without { $count ->
        [one] its mention
       *[other] its { $count } mentions
    }: an @username became "@…" and a linked name lost its link, so no staff account reaches a client. To share a channel or a bot, send its link (https://t.me/…).
staff-mention-not-sent = ⚠️ Not sent to the client: the caption mentions an account (an @username or a linked name), and mentions never reach clients. Send it again without the mention.

## fairshare
consult-urgent-wait =
    🆘 The team was alerted a few minutes ago; the button calls them again in { $minutes } min at the latest.

    If someone is in danger right now, don't wait: call <b>{ $ambulance }</b> or <b>{ $general }</b>. Unconscious and not breathing normally: start CPR; if opioids are possible or you don't know what was taken, give naloxone. /help shows the steps.
consult-open-wait = You started a conversation a moment ago: you can start a new one in { $minutes } min. In an emergency, /help shows what to do right away.

## clock
publishing-missed-earlier = (and { $count } earlier)

## risk
staff-command-urgent = Mark this case urgent: /urgent [reason]
staff-command-normal = This case is not urgent after all
staff-card-urgent-reason = 🆘 Why: { $what }
staff-risk-raised = 🆘 Marked urgent: the client's words suggest <b>{ $what }</b>. The client was not told. /normal if it is not.
staff-urgent-by-hand = 🆘 { $alias } marked the case urgent.
staff-urgent-by-hand-reason = 🆘 { $alias } marked the case urgent: { $what }
staff-normal-by-hand = { $alias } marked the case not urgent. The same kind of words will not raise it again for { $hours } h.
staff-normal-not-urgent = This case is not urgent.
staff-risk-overdose = signs of an overdose
staff-risk-not-breathing = someone not breathing
staff-risk-suicide = suicide
staff-risk-violence = violence
staff-risk-arrest = an arrest or police
staff-risk-child = a child in danger

## hanging
consult-offered-back = Your consultant could not answer in time, so your conversation is back with the team: someone else may answer you. Your messages are all there; no need to repeat them.
staff-answer-due = ⏰ { $alias }, the client has waited { $minutes } min for an answer. Reply, or /release the case; otherwise it goes back to the queue.
staff-offered-back = ↩️ No answer from { $alias }: the case is back in the queue for anyone to take.
staff-released-left = ↩️ { $alias } left the staff chat: the case is back in the queue for anyone to take.
staff-status-offered-back = ⏳ waiting again (offered back to the team)
staff-queue-unanswered = ⏰ <b>Unanswered</b>: { $count } taken, the client still waiting for an answer
staff-stats-responses = <b>Response times</b> by inbox and week (from Monday): median / 90th percentile (cases)
staff-stats-response-line = • { $inbox } · { $week }: first answer { $firstMedian } / { $firstP90 } ({ $firstCount }); next answers { $nextMedian } / { $nextP90 } ({ $nextCount })

## alerts
menu-alerts = 🔔 Drug alerts
command-alerts = Drug alerts for your region
alerts-intro = 🔔 <b>Drug alerts</b>: when the team learns of a dangerous batch (say, something much stronger sold as something else), we warn the people of that region. An alert is checked by two people of the team before it goes out, and always says until when it holds.
alerts-choose = Tap the regions you want alerts for (tap again to stop). Nothing else is asked.
alerts-current = You get alerts for: <b>{ $regions }</b>.
alerts-none = You get no alerts now.
alerts-kept = We keep only the regions, your chat number (encrypted) and your language. /forget or "Stop all alerts" deletes them.
alerts-off-button = 🔕 Stop all alerts
alerts-stopped = 🔕 Done: you will get no more alerts, and your subscription is deleted.
alerts-unavailable = Drug alerts are not set up yet.
alert-severity-high = 🔴 Danger
alert-severity-medium = 🟠 Warning
alert-severity-low = 🟡 Heads-up
alert-updated = ✏️ Updated by the team.
alert-withdrawn = ↩️ <b>This alert was withdrawn</b> by the team ({ $substance }). It no longer holds.
alert-no-template = (the alert template for this language is missing)
privacy-alerts = 🔔 If you subscribe to drug alerts, we keep the regions you chose, your chat number (encrypted) and your language, under a separate code made with our secret key (it does not link to the rest of your data). The number of each alert's message to you is kept only while that alert holds, so that it can be corrected or withdrawn. "Stop all alerts" or /forget deletes it all; if you block the bot, the subscription is deleted.
forget-item-alerts = your drug alert subscription
region-north = North
region-south = South
region-east = East
region-west = West
region-almaty = Almaty
region-astana = Astana
staff-region-north = north
staff-region-south = south
staff-region-east = east
staff-region-west = west
staff-region-almaty = Almaty
staff-region-astana = Astana
staff-command-alert = Drug alerts: /alert (draft), /alert list, /alert stats N, /alert update N, /alert withdraw N
editors-command-alert = Drug alerts: /alert (draft), /alert list, /alert stats N, /alert update N, /alert withdraw N
staff-alert-usage =
    <b>Draft a drug alert</b>: /alert, then one field per line:
    <code>regions: { $regions }</code> (or all)
    <code>severity: high</code> (high, medium, low)
    <code>substance: …</code> what was found
    <code>sold as: …</code> (optional)
    <code>effects: …</code> what it does
    <code>action: …</code> (optional) what to do
    <code>expires: 48h</code> (90m, 3d, or 2026-12-10 18:00)
    <code>channel: …</code> (optional: { $channels })
    A field per language: <code>effects.kk: …</code>
    It goes out once { $approvals } people of this chat have agreed (the drafter first).
    Then: /alert list · /alert stats N · /alert update N (fields on the next lines) · /alert withdraw N · /alert cancel N
staff-alert-problems = ⚠️ Not drafted:
    { $list }
staff-alert-draft = 📝 <b>Alert #{ $id }</b>, draft: { $severity }, regions { $regions }, until { $until }{ $channel }. It needs { $need } people to agree; { $have } so far. Subscribers in those regions now: { $subscribers }.
staff-alert-draft-channel = , and a copy in { $channel }
staff-alert-unsigned = ⚠️ The template { $files } has no current clinician's sign-off: the alert will not say it was checked.
staff-alert-preview = Preview ({ $language }):
staff-alert-approve = ✅ Approve #{ $id }
staff-alert-cancel = ✖️ Cancel
staff-alert-own = ✋ You have agreed to alert #{ $id } already: another member of this chat must approve it.
staff-alert-counted = 👍 Alert #{ $id }: { $have } of { $need } agreed.
staff-alert-started = 📣 Alert #{ $id } approved: going out to { $count } subscribers.
staff-alert-not-draft = Alert #{ $id } is not a draft any more ({ $status }).
staff-alert-not-found = There is no alert #{ $id } drafted in this chat.
staff-alert-not-member = Only a current member of this chat can approve an alert.
staff-alert-cancelled = ✖️ Alert #{ $id } cancelled: it will not go out.
staff-alert-expired-draft = Alert #{ $id } expired before it was approved.
staff-alert-figures = 📊 <b>Alert #{ $id }</b> ({ $status }): sent { $sent }, failed { $failed }, blocked the bot { $blocked }, uncertain { $uncertain }, not sent (ended first) { $unsent }, waiting { $queued }. { $duration }
staff-alert-duration = Time to finish: { $seconds } s.
staff-alert-running = Going out for { $seconds } s so far.
staff-alert-finished = ✅ Alert #{ $id } has reached every subscriber.
staff-alert-ended = ⌛ Alert #{ $id } has expired: nothing more goes out, the delivered messages' numbers are deleted.
staff-alert-withdrawn = ↩️ Alert #{ $id } withdrawn: { $count } subscribers who got it are told.
staff-alert-updated = ✏️ Alert #{ $id } updated: those who got it will see the new wording; those not reached yet get it as it is now.
staff-alert-update-waits = ✏️ The change to alert #{ $id } waits: { $have } of { $need } agreed. Nothing is edited until another member of this chat approves it (a new /alert update replaces it).
staff-alert-approve-update = ✅ Approve the change to #{ $id }
staff-alert-own-update = ✋ You have agreed to this change to alert #{ $id } already: another member of this chat must approve it.
staff-alert-no-update = Alert #{ $id } has no change waiting for approval.
staff-alert-not-live = Alert #{ $id } is not going out or out there now ({ $status }).
staff-alert-list-empty = No alerts drafted in this chat yet.
staff-alert-list-line = #{ $id } { $status } · { $severity } · { $regions } · until { $until }
staff-alert-status-draft = draft
staff-alert-status-sending = going out
staff-alert-status-sent = out
staff-alert-status-expired = expired
staff-alert-status-withdrawn = withdrawn
staff-alert-status-cancelled = cancelled
## history
staff-command-history = Earlier cases of a client: /history PSEUDONYM
staff-snippets-found = 📋 Snippets with “{ $word }” ({ $count }; send: /snippet NAME, as a note: !snippet NAME):
staff-snippets-none-found = No snippet has “{ $word }” in its name, title or text. All of them: /snippets
staff-snippet-unfilled = ⛔ Not sent: in the snippet “{ $name }” these could not be filled, so nothing reached the client:
    { $list }
staff-snippet-var-no-service = there is no services entry “{ $name }” in the client's language
staff-snippet-var-sample-service = the services entry “{ $name }” is a sample with placeholder contacts (sample: true)
staff-snippet-var-no-numbers = the organisation has not set its emergency numbers yet (content/settings.yml)
staff-snippet-var-no-number = there is no emergency number “{ $name }” in content/settings.yml
staff-snippet-var-unknown = not a snippet variable
staff-snippet-as-note = 📝 Snippet “{ $name }” as an internal note (not sent to the client):
staff-history-usage = Write /history and the client's pseudonym, e.g. /history 4F7K (in a case topic, /history alone shows that client's).
staff-history-unknown = No client { $pseudonym } is known: a mistyped pseudonym, erased with /forget, or no contact for { $days } days.
staff-history-empty = Client { $pseudonym } has no cases kept (a closed case goes { $days } days after it closed).
staff-history-head = 📁 <b>Client { $pseudonym }</b>: { $count } case(s), newest first. Kept { $days } days after closing; the messages themselves are never kept.
staff-history-more = … and { $count } older case(s) that do not fit in one message.
staff-history-more-notes = 📝 … { $count } more note(s)
staff-history-referrals = Referrals: { $list }
staff-history-rating = Rating: { $stars }
staff-history-open = open now
staff-history-waiting = waiting now
staff-stats-care = 💛 <b>Check-ins</b> after urgent cases: { $total } answered{ $breakdown }
staff-stats-care-breakdown = {" "}(🙂 { $ok } · 😐 { $soSo } · 😔 { $notOk })
snippet-emergency = 🆘 Ambulance: <b>{ $ambulance }</b> · from any phone: <b>{ $general }</b>
care-checkin = 💛 An urgent case you had has just closed. <b>How are you after this one?</b>
    Your answer is only counted, as a number for the team's care; nobody sees who answered what.
care-button-ok = 🙂 OK
care-button-so-so = 😐 So-so
care-button-not-ok = 😔 Not OK
care-counted = Thank you: counted, anonymously.
care-answered-ok = 🙂 Thank you. Take a breath before the next one.
care-answered-so-so = 😐 Thank you. A short break helps, and a colleague to talk to.
care-answered-not-ok = 😔 Thank you for saying so.
care-not-ok = You do not have to carry this alone. Here is where you can turn:
care-support-missing = The organisation has not added its support contacts yet (content/support/). Please talk to your coordinator.
care-support-pending = (not filled in yet by the organisation: ask your coordinator)
care-gone = This check-in was already answered, or has expired.
care-start-bot = 💛 { $alias }, a private check-in waits for you after this urgent case. Open a private chat with @{ $bot } and press Start to see it (nobody here sees your answer).
staff-history-locked = 🔒 The inbox is locked: /history shows nothing until an administrator sends /unlock.
staff-history-elsewhere = 🗂 { $count } more case(s) of this client in other inboxes: each team sees only its own.
## checkin
button-checkin = 🫂 Check on me
checkin-intro =
    🫂 <b>Check on me</b>

    If you are going to use alone, the bot can check on you. Choose a time: then the bot asks "are you OK?". If you don't answer, it asks once more a few minutes later, and then alerts whoever you chose: your buddy (someone you invite yourself) and/or the on-duty team. Nothing is alerted without your consent.

    Be aware of the limits:
    • the bot cannot call { $ambulance } or send anyone to you;
    • a muted phone, no internet or a dead battery defeats it;
    • your buddy or the team decide what to do, and they may not be available at once.
    If you feel unwell, call { $ambulance } yourself; it is safer not to use alone.

    How long until the first "are you OK?"
checkin-button-minutes = { $minutes } min
checkin-button-buddy = 👥 My buddy
checkin-setup =
    🫂 <b>Check-in in { $minutes } min</b>

    If you don't answer twice, who may be alerted? Tick only what you agree to.
    • Buddy: { $buddy ->
        [on] ☑️ yes: they get an alert with your plan
        [off] ⬜ no
       *[none] you have no buddy yet
    }
    • On-duty team: { $team ->
        [on] ☑️ yes: an urgent conversation opens for the team, with your plan; they decide what to do
       *[off] ⬜ no
    }
    • Plan: { $hasPlan ->
        [yes] <i>{ $plan }</i>
       *[other] none. A plan says where you are and how to get in; it is kept encrypted and shown only if you don't answer, then deleted.
    }
checkin-button-alert-buddy = Alert my buddy
checkin-button-add-buddy = 👥 Invite a buddy
checkin-button-alert-team = Alert the on-duty team
checkin-button-plan = ✏️ Write a plan
checkin-button-plan-change = ✏️ Change the plan
checkin-button-start = ▶️ Start ({ $minutes } min)
checkin-button-cancel = ✖️ Cancel
checkin-plan-ask = ✏️ Write your plan in one message: where you are, how to get in (door code, key), anything that helps. It is kept encrypted, shown only to whoever is alerted if you don't answer, and deleted when the check-in ends. Write your name or phone only if you want them to see it. I delete your message from this chat once it is saved.
checkin-plan-saved = 🔒 Plan saved (encrypted).
checkin-started = ✅ Check-in started. I will ask "are you OK?" at about { $time } (in { $minutes } min). You can answer, add time or end it at any moment: /checkin.
checkin-status = 🫂 Your check-in is on: the next "are you OK?" comes at about { $time }.
checkin-status-escalated = 🫂 You did not answer, so whoever you chose was alerted. Tap "I'm OK" when you can: they will be told.
checkin-cancelled = Check-in cancelled. Nothing was kept.
checkin-none = No check-in is on. /checkin starts one.
checkin-ok =
    💚 Good to hear. The check-in has ended and its plan is deleted.{ $alerted ->
        [yes] {" "}Whoever was alerted is being told you answered.
       *[other] {""}
    }
checkin-ended =
    The check-in has ended and its plan is deleted.{ $alerted ->
        [yes] {" "}Whoever was alerted is being told.
       *[other] {""}
    }
checkin-button-again = 🫂 New check-in
checkin-button-ok = ✅ I'm OK
checkin-button-extend = ⏱ +15 min
checkin-button-end = ⏹ End check-in
checkin-extended = ⏱ OK, the next "are you OK?" comes at about { $time }.
checkin-ask = 🫂 <b>Are you OK?</b> Tap the button (or write anything).
checkin-ask-again = 🫂 <b>Are you OK?</b> This is the second ask. If you don't answer in a few minutes, whoever you chose will be alerted.
checkin-escalated =
    ⚠️ You did not answer. { $who ->
        [both] Your buddy and the on-duty team have been alerted.
        [buddy] Your buddy has been alerted.
        [team] The on-duty team has been alerted.
       *[none] Nobody was chosen to be alerted.
    } Tap "I'm OK" as soon as you can.
checkin-buddy-alert =
    ⚠️ <b>Check-in alert</b>

    Someone who chose you as their check-in buddy started a check-in and did not answer two asks.
    { $hasPlan ->
        [yes] Their plan: <i>{ $plan }</i>
       *[other] They left no plan.
    }

    The bot cannot call anyone and knows nothing more than this. You decide what to do: try to reach them the way you usually do; if you think their life is in danger, call { $ambulance }. You will get a message here if they answer.
checkin-buddy-ok = 💚 Check-in: the person you were alerted about has answered that they are OK.
checkin-buddy-ended = Check-in: the person you were alerted about has ended their check-in (they answered).
checkin-buddy-expired = Check-in: the alert you got has expired without an answer; its plan is deleted.
checkin-buddy-paired = 👥 You have a buddy. If you choose it in a check-in, they get an alert with your plan when you don't answer. The bot never shows them your account, and never shows you theirs.
checkin-buddy-none =
    👥 A buddy is someone you trust who gets an alert if you don't answer a check-in. Invite them with a one-time link: they open the bot with it and agree. The bot never shows them your account (only the plan you write), and never shows you theirs.
checkin-buddy-of =
    You are the check-in buddy of { $count } { $count ->
        [one] person
       *[other] people
    }.
checkin-button-buddy-remove = ✖️ Remove my buddy
checkin-button-buddy-invite = 🔗 Create an invitation link
checkin-button-buddy-quit = ✖️ Stop being a buddy
checkin-buddy-link = 🔗 Send the next message to the person you trust (forward it or copy the link). It works once, for { $hours } h. They will be asked to agree.
checkin-buddy-link-message = Would you be my check-in buddy? Open this link: <a href="{ $link }">{ $link }</a>
checkin-buddy-removed = 👥 Someone you were a check-in buddy for has ended the pairing. You will get no more alerts from them.
checkin-buddy-removed-done = Your buddy is removed (they were told, without your name).
checkin-buddy-quit = 👥 Your buddy has ended the pairing: they will get no check-in alerts. You can invite someone else: /buddy.
checkin-buddy-quit-done = Done: you are nobody's check-in buddy any more.
checkin-invite =
    👥 <b>Someone asks you to be their check-in buddy</b>

    When they start a check-in and don't answer, you get a message here with the plan they wrote (where they are, how to get in). The bot cannot call anyone; you decide what to do. The bot does not show you their account, and does not show them yours.

    You can stop at any time: /buddy. Do you agree?
checkin-invite-invalid = This invitation link does not work (used already, or expired). Ask for a new one.
checkin-invite-self = This is your own invitation: send it to the person you trust.
checkin-button-invite-yes = ✅ I agree
checkin-button-invite-no = ✖️ No
checkin-invite-declined = OK, you are not a buddy. Nothing was kept.
checkin-invite-accepted = ✅ You are now a check-in buddy. Keep this chat's notifications on. /buddy to stop.
checkin-buddy-joined = 👥 Your buddy has agreed. You can choose them when you start a check-in: /checkin.
privacy-checkin = 🫂 A check-in keeps its time, who you agreed to alert and your plan (encrypted) only while it is on; all of it is deleted when it ends. A buddy pairing keeps a code of your buddy made with a separate secret key and their chat number, encrypted, until either of you ends it or uses /forget. The bot never shows a buddy your account, or you theirs: only its own texts and your plan.
staff-checkin-escalated = 🫂 <b>Check-in not answered</b>: the client asked to be checked on and did not answer two asks. Their plan is on the card while the check-in lasts. The bot cannot call anyone: decide what to do.
staff-checkin-ok = 💚 The client answered the check-in: they are OK. The plan is deleted.
staff-checkin-ended = The client ended the check-in. The plan is deleted.
staff-checkin-expired = The check-in expired without an answer. The plan is deleted.
staff-card-checkin-plan = 🫂 Check-in plan: <i>{ $plan }</i>
staff-card-checkin-no-plan = (no plan)
staff-risk-checkin = a check-in not answered
command-checkin = Check on me: ask if I'm OK at a set time
command-buddy = My check-in buddy
checkin-buddy-alert-over = ⚠️ Check-in alert: over. The plan that was here has been removed.
forget-item-checkin = your check-in with its plan
forget-item-buddy = your buddy pairing (your buddy was told, without your name)

## reports
menu-report = ⚠️ Report a bad batch
command-report = Report a bad batch or a bad reaction
report-intro =
    ⚠️ <b>Report a bad batch or a bad reaction</b>

    Something sold as one thing that turned out to be another, or a reaction that was much stronger or stranger than expected: telling us helps warn others. The team reviews every report before any warning goes out; a single report is not published as it is.

    • This is <b>not an emergency line</b>: if someone is unwell right now, press 🆘 below or call <b>{ $ambulance }</b> (<b>{ $general }</b> from any phone).
    • Nobody will contact you about the report. If you want to talk, a consultant is one button away in the menu.
    • Do not write names, addresses, places or anything else that could point to you or to someone else.

    What is it about?
report-kind-batch = 💊 A bad batch
report-kind-reaction = 🤒 A bad reaction
report-cancel = Cancel
report-cancelled = Cancelled: nothing was sent.
report-sold-as = What was it sold as? A street name is fine (up to { $max } characters), or press "I don't know".
report-dont-know = I don't know
report-what-batch = What was wrong with it? For example: how it looked, smelled or tasted, and what it did, in a few words (up to { $max } characters). No names or places.
report-what-reaction = What happened? For example: what you or someone else felt, how soon, and how long it lasted, in a few words (up to { $max } characters). No names or places.
report-use-words = Please answer in a few words here, or press Cancel.
report-use-buttons = Please use the buttons above, or press Cancel.
report-too-long = That is a bit long: please keep it within { $max } characters.
report-too-many = That did not fit the questions, so I stopped the report here; nothing was sent. You can start again with /report.
report-region = 📍 Which region was it in? This helps the team warn the right area.
report-region-skip = I'd rather not say
report-photo =
    📷 You can add one photo of the pill or the packet, if you like.
    Send it as a <b>photo</b>, not as a file. Only the pill or packet in the frame: no hands, faces, papers or surroundings.
report-no-photo = No photo
report-photo-as-file = That came as a file. Files keep hidden data, such as where and when the picture was taken, so I did not use it. Please send it again as a photo (in the attachment menu, not "File"), or press "No photo".
report-photo-only = Please send one photo, or press "No photo".
report-preview = 👀 <b>The team will see exactly this</b> (in their language), without your name or account:
report-preview-photo = …and your photo under it, as Telegram compressed it (without its hidden data).
report-send = ✅ Send the report
report-sent =
    ✅ Sent as report <b>{ $number }</b>. Thank you: this helps keep others safer.
    The team reviews it before any warning goes out. Nobody will contact you about it.
report-limit = You have sent { $limit } reports today, the most for one day. Thank you: you can send more tomorrow. If someone is unwell now, press 🆘 in the menu.
report-failed = The report could not reach the team just now, so nothing was kept. Please try again later.
report-stale = That report is no longer open here. You can start a new one.
forget-item-reports = your open reports ({ $count }), with their cards in the team's chat
privacy-reports = ⚠️ Reports of a bad batch or reaction: your answers and photo go to the team's chat as a card without your name or account. The bot's database keeps only the kind, region, hour and status, and a link to you until the team decides (at most { $days } days; /forget deletes an open report and its card). The photo is deleted when the team decides. For the limit of { $limit } a day, a count for the day is kept under a separate code.
staff-report-card =
    ⚠️ <b>Report { $number }</b> · { $kind }
    <b>Sold as:</b> { $soldAs }
    <b>What happened:</b> { $what }
    <b>Region:</b> { $region }
    <b>Received:</b> { $received } (to the hour)
    { $photo }
    <i>One person's account, unverified. The reporter is not named and expects no answer.</i>
staff-report-kind-batch = bad batch
staff-report-kind-reaction = bad reaction
staff-report-sold-unknown = (doesn't know)
staff-report-region-none = (not said)
staff-report-photo-yes = 📷 Photo below (compressed by Telegram, without metadata); deleted when the report is decided.
staff-report-photo-no = No photo.
staff-report-dismiss = 🗑 Dismiss
staff-report-reviewed = ✅ Reviewed
staff-report-use = 📣 Use for an alert
staff-report-already = This report was already decided.
staff-report-done-dismissed = Dismissed.
staff-report-done-reviewed = Marked reviewed.
staff-report-done-used = Marked for an alert.
staff-report-decided-dismissed = 🗑 Dismissed by { $alias }.
staff-report-decided-reviewed = ✅ Reviewed by { $alias }.
staff-report-decided-used = 📣 { $alias }: to be used for an alert.

## stories
menu-share = ✍️ Share your story
command-share = Share your story or trip report anonymously
story-intro = ✍️ <b>Share your story</b>, anonymously. Write it in one or more messages (text only, up to { $limit } characters), then press <b>Done</b>. Before it goes anywhere you will see exactly what the editors will see, and nothing is published without them.
    Please leave out names, places and phone numbers: @usernames and numbers that look like phone numbers are removed automatically.
story-waiting = Waiting for the editors: { $list }.
story-limit = You can have { $count } stories waiting, and send { $count } a day. Please wait for a decision, or withdraw one:
story-withdraw-button = Withdraw { $number }
story-done-button = ✅ Done
story-cancel-button = Cancel
story-no-media = Stories are text only: a photo, a voice or a video can show who someone is or where they are. Please describe it in words.
story-too-long = That would make the story too long (at most { $limit } characters). Room left: { $room }. Shorten this message, or press Done.
story-added = Added ({ $length } of { $limit } characters). Write more, or press Done.
story-no-draft = This story is no longer being written. Start again with /share.
story-empty = Nothing written yet: send your story as a message first.
story-scrubbed = We removed { $count } thing(s) that looked like a username, a link to an account, an e-mail or a phone number (shown as […]).
story-choose-kind = What kind of story is it?
story-kind-trip = 🌀 Trip report
story-kind-services = 🏥 Experience with services
story-kind-other = 💬 Something else
story-choose-substances = Which substances is it about? Choose any, or none.
story-substances-done = Next →
story-substances-none = No substance / Next →
story-preview-intro = 👀 This is exactly what the editors will see (they never see who you are):
story-confirm = Send it to the editors?
story-send-button = 📨 Send
story-sent = 📨 Sent as <b>{ $number }</b>. Editors read it and may ask you a question here; it is published only after { $needed } editor(s) approve it. You will be told when it is published or if it is not, and you can withdraw it until then.
story-cancelled = Cancelled: the story is deleted.
story-not-open = Story { $number } is no longer waiting: nothing to do.
story-answer-button = ✍️ Answer
story-question = ❓ The editors have a question about your story <b>{ $number }</b>:
    
    { $question }
    
    Press Answer and write your reply (text only).
story-answer-prompt = Write your answer about { $number } in one message.
story-answer-sent = Your answer went to the editors under { $number }.
story-published = 📖 Your story <b>{ $number }</b> has been published in the channel. Thank you for sharing it. We no longer keep any link between you and it.
story-rejected = Your story <b>{ $number }</b> will not be published. The editors say: { $reason }
    We no longer keep it or any link between you and it.
story-withdrawn = Your story <b>{ $number }</b> is withdrawn and deleted.
story-card = 📝 <b>Story { $number }</b> · { $kind } · { $substances } · { $lang } → { $channel } · approvals { $approvals }/{ $needed }
forget-item-stories = your stories not yet published ({ $count }), withdrawn
editors-story-new = 📝 A new reader's story. Read it, then approve it, edit it, ask the author or reject it.
editors-story-original = <b>The author's original:</b>
editors-story-approve-button = ✅ Approve
editors-story-commands = /story_edit { $number } TEXT · /story_ask { $number } QUESTION · /story_channel { $number } ALIAS · /story_reject { $number } REASON
editors-story-answer = 💬 The author of <b>{ $number }</b> answers:
    { $answer }
editors-story-withdrawn = ↩️ The author withdrew story { $number }.
editors-story-forgotten = ↩️ The author erased their data (/forget): stories { $list } are withdrawn and deleted.
editors-story-not-member = Only current members of the editors chat can decide about stories.
editors-story-usage-story = Usage: /story S-XXXX (the numbers are in /stories)
editors-story-usage-edit = Usage: /story_edit S-XXXX the whole new text
editors-story-usage-channel = Usage: /story_channel S-XXXX ALIAS (an alias from CHANNELS)
editors-story-usage-ask = Usage: /story_ask S-XXXX your question to the author
editors-story-usage-reject = Usage: /story_reject S-XXXX the reason (the author reads it)
editors-story-unknown = There is no story { $number }.
editors-story-not-open = Story { $number } is not waiting any more ({ $status }).
editors-story-list = 📝 Stories waiting (number · kind · language · approvals):
editors-story-none = No stories are waiting.
editors-story-too-long = Too long: { $length } characters, at most { $limit } fit in one message with the frame.
editors-story-edited = ✏️ Story { $number } was edited: approvals start again.
editors-story-channel-unknown = “{ $alias }” is not a channel alias in CHANNELS (known: { $list }). Choose one with /story_channel.
editors-story-channel-set = Story { $number } goes to { $alias }: approvals start again.
editors-story-no-author = The author of { $number } can no longer be reached.
editors-story-asked = ❓ Question sent to the author of { $number }; the answer comes here.
editors-story-rejected = ❌ Story { $number } rejected; the author is told the reason.
editors-story-refused = Telegram refused to publish { $number }: { $error }. Nothing was posted; press Approve to try again.
editors-story-in-doubt = ⚠️ Story { $number } may or may not have reached { $channel } (no answer from Telegram). Check the channel, then /story_sent { $number } if it is there or /story_retry { $number } if not; it is not sent again by itself.
editors-story-published = 📖 Story { $number } published in { $channel }; the author is told.
editors-story-again = You approved { $number } already: it needs { $needed } different editors.
editors-story-approved-by = ✅ { $number }: { $count } of { $needed } approvals.
editors-command-stories = Readers' stories waiting
editors-command-story = Show a reader's story: /story S-XXXX
editors-command-story-edit = Edit a story: /story_edit S-XXXX TEXT
editors-command-story-ask = Ask a story's author: /story_ask S-XXXX QUESTION
editors-command-story-channel = Choose a story's channel: /story_channel S-XXXX ALIAS
editors-command-story-reject = Reject a story: /story_reject S-XXXX REASON
privacy-stories = ✍️ A story you share is kept encrypted under a random number, with the kind and substances you chose, until the editors decide. The editors see the number, never who you are. Once it is published, rejected or withdrawn, its text and every link to you are deleted (a published story is in the channel, not with us). /forget withdraws the stories not yet published. Photos and voice messages are never accepted for stories.
editors-story-not-in-doubt = Story { $number } is not in doubt: nothing to resolve.
editors-story-usage-sent = Usage: /story_sent S-XXXX (it is in the channel)
editors-story-usage-retry = Usage: /story_retry S-XXXX (it is not in the channel: send it)
editors-command-story-sent = A story in doubt is in the channel: /story_sent S-XXXX
editors-command-story-retry = A story in doubt is not in the channel, send it: /story_retry S-XXXX
story-case-open = You are in a conversation with a consultant now, so your messages go to them. Share your story after the conversation ends (/end).
story-unavailable = Sharing stories is not available right now. You can still talk to a consultant (/consult).

## shifts
consult-off-duty-unknown =
    🌙 The team is off duty now. Your messages will be waiting for them.

    { emergency-numbers }
consult-handed-back = Your consultant's shift has ended, so your conversation is back with the team: someone else will answer you. Your messages are all there; no need to repeat them.
staff-command-duty = Your duty here: /duty on, /duty off
staff-command-break = A break of N minutes (1–120): /break 15
staff-command-handover = End of shift: a summary for the next shift, your cases released or to a colleague: /handover [@alias] [note]
staff-command-tapout = Hand all your cases back now, with a note: /tapout [note]
staff-command-mine = Your open cases
staff-command-team = Who is on duty and every open case, unanswered first
staff-command-assign = Supervisors: give this case to a colleague: /assign alias
staff-command-takeover = Supervisors: take this case over
staff-released-off-duty = ↩️ { $alias } went off duty: the case is back in the queue for anyone to take.
staff-released-away = ↩️ { $alias } is on a break and the client waited too long: the case is back in the queue for anyone to take.
staff-released-tapout = ↩️ { $alias } tapped out: the case is back in the queue for anyone to take. Their note: { $note }
staff-on-duty-line = 👥 On duty: { $list }
staff-nobody-on-duty = 👥 Nobody is on duty now.
staff-team-left = 🌙 Nobody is on duty any more: the clients of { $count } open case(s) were told the team is off duty, with the emergency numbers.
staff-weekly-hours = ⚠️ { $alias } has been on duty { $hours } h this week (limit { $limit } h). Please take care of yourself. Supervisors: { $supervisors }
staff-minutes-ago = { $minutes } min ago
staff-team-case = { $mark } { $client } · { $topic }{ $holder } · { $wait } · last { $last }
staff-team-queue = queue
staff-team-answered = answered
staff-team-waits = waits { $minutes } min
staff-team-more = …and { $count } more (see the topics)
staff-team-person = { $alias } ({ $cases } case(s), { $hours } h this week){ $extra }
staff-team-duty-unused = Duty is not used here (no roster, nobody said /duty on): everyone sees the queue.
staff-team-on = 🟢 On duty:
staff-team-break = ☕ On a break:
staff-team-back-at = back { $time }
staff-team-holding = 📌 Holding cases, not on duty:
staff-team-title = 👥 <b>Team</b> · { $inbox } · { $count } open case(s)
staff-team-no-cases = No open cases.
staff-mine-none = You hold no open cases here.
staff-mine-title = 📌 <b>Your cases</b>: { $count }
staff-handover = 🔁 <b>Handover</b> from { $alias }: { $count } case(s), to { $to }
staff-handover-note = 📝 { $note }
staff-handed-over = 🔁 Handed over by { $from } to { $to }.
staff-tapout-no-note = (no note)
staff-tapout-general = 🫂 { $alias } tapped out: { $count } case(s) are back in the queue. Supervisors, please check in with them.
staff-duty-is-on = 🟢 You are on duty here: you are nudged and offered cases.
staff-duty-is-break = ☕ You are on a break.
staff-duty-is-off = 🌙 You are off duty here.
staff-duty-usage = Use /duty on or /duty off (/duty alone shows your state; supervisors: /duty reset stops using duty here).
staff-break-usage = Use /break N with N from { $min } to { $max } minutes, e.g. /break 15.
staff-break-not-on-duty = You are not on duty: /duty on first.
staff-break-started = ☕ A break of { $minutes } min: back on duty at { $time } by yourself. Your cases stay yours unless a client waits too long.
staff-alias-unknown = Nobody here has the alias "{ $alias }" (set with /alias).
staff-handover-self = Hand over to a colleague, not to yourself.
staff-not-on-duty = { $alias } is not on duty here (or not in this group).
staff-handover-none = You held no cases: nothing to hand over. You are off duty.
staff-tapout-done = 🫂 Done: your cases are back with the team and you are off duty. Thank you — take care.
staff-assign-already = The case is already with { $alias }.
staff-assigned = 👉 { $by } gave the case to { $alias }.
staff-supervisors-only = Only the group's administrators (supervisors) can do this.
staff-assign-usage = Use /assign alias in a case topic, e.g. /assign Aigerim.
staff-duty-by-taking = 🟢 { $alias } took a case and is on duty now.
staff-roster-on = 🟢 { $alias } is on duty now (roster).
staff-roster-off = 🌙 { $alias } is off duty now (roster).
staff-break-over = 🟢 { $alias } is back from the break, on duty.
staff-duty-reset = Duty is no longer used here: WORKING_HOURS decides again what clients are told, and everyone is nudged and sees the queue. /duty on (or the roster) starts it again.
## surveys
menu-surveys = 📋 Surveys
survey-list = 📋 <b>Surveys</b>: a few questions, a few taps. You can skip any question and stop at any time. Your answers are stored without any link to you.
survey-none = 📋 There is no survey for you to answer at the moment.
survey-opt-explained = Would you like to be invited when a new survey opens? We then keep that you asked, with your chat (sealed), until you say stop, /forget, or we lose touch.
survey-opted-in = ✅ You will be invited to new surveys (at most one message per survey).
survey-opt-in = 🔔 Invite me to surveys
survey-opt-out = 🔕 Stop inviting me
survey-anonymous = 🔒 Your answers are stored without any link to you. Any question can be skipped; "Later" keeps your place for a week.
survey-resumed = You stopped here last time: let's continue.
survey-pick-several = Tick all that apply, then press "Done".
survey-done = ✔️ Done
survey-type-answer = ✍️ Type your answer in a message (or skip).
survey-skip = ⏭ Skip
survey-later = ⏸ Later
survey-stopped = ⏸ Your answers so far are kept for a week (sealed, linked to you only until you finish). Come back here to continue.
survey-continue = ▶️ Continue the survey
survey-thanks = 🙏 Thank you! Your answers are stored without any link to you.
survey-already = You have already answered this survey. Thank you!
survey-unknown = This survey does not exist (or no longer does).
survey-not-yet = This survey has not opened yet.
survey-closed = This survey is closed. Thank you for your interest!
survey-invited-only = This survey is for clients who asked to be invited to surveys.
privacy-surveys = 📋 Surveys: while you answer, your answers are kept sealed under your code for at most a week. Once you finish, they are stored with the day only and without any link to you, and we keep a separate code (made with our secret key) that you answered, until the survey closes, so nobody answers twice; /forget does not erase that code. /forget erases an unfinished survey and your request to be invited.
editors-survey-list = 📋 <b>Surveys</b> (<code>/survey ID</code> for results, <code>/survey ID csv</code> for the CSV):
editors-survey-none = No survey files in content/surveys/.
editors-survey-line = • <code>{ $id }</code> { $title }: { $state }, { $responses } response(s). Link: { $link }
editors-survey-open = open
editors-survey-draft = draft (not offered to clients until it has ready:)
editors-survey-not-yet = not open yet
editors-survey-closed = closed
editors-survey-unknown = No survey "{ $id }": /survey lists them.
editors-survey-results = 📋 <b>{ $title }</b>: { $responses } response(s). Counts under 5 show as "&lt;5".
editors-survey-too-few = Fewer than 5 responses: no answers are shown yet (any one could be a single person's).
editors-survey-written = ✍️ answered in words: { $count } (the texts are in the CSV when 5 or more wrote)
editors-survey-skipped = ⏭ skipped: { $count }
editors-survey-unreadable = ⚠️ { $count } response(s) cannot be read with this BOT_SECRET and are not counted.
editors-survey-csv = Survey { $id }: counts per answer (under 5 as "<5").
survey-invitation = 📋 A new survey: <b>{ $title }</b>. A few taps, any question can be skipped, and your answers are stored without any link to you.
survey-invitation-start = ▶️ Answer
forget-item-survey = { $count } unfinished survey(s) (finished ones were never linked to you)
forget-item-survey-invitations = your request to be invited to surveys
command-surveys = Surveys: answer anonymously, or be invited
editors-command-survey = Surveys: list, results (/survey ID), CSV (/survey ID csv)
survey-risk-help = ⚠️ Survey answers are read by nobody for days and never reach a consultant. If you or someone near you needs help now, press a button below.

## outreach
event-ask = Would you like a reminder before it? I will write to you { $before } before. Nothing else is kept: not your name, not your account; the reminder is deleted after the event, and you can cancel it at any time.
event-button-remind = 🔔 Remind me
event-button-no = No, thanks
event-button-cancel = Cancel the reminder
event-confirmed = Done: I will remind you on { $times }. You can cancel at any time with the button below or /forget.
event-already = You already asked for a reminder ({ $times }).
event-cancelled = Cancelled: no reminder will come, and nothing about it is kept.
event-not-waiting = There is no reminder to cancel.
event-too-late = The event is too soon for a reminder. See you there!
event-too-many = You are waiting for reminders of { $max } events already: cancel one of them first.
event-gone = This event is no longer planned.
event-reminder = 🔔 <b>Reminder</b>
event-in-days = { $count ->
    [one] 1 day
   *[other] { $count } days
  }
event-in-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
  }
event-in-minutes = { $count } min
forget-item-reminders = your event reminders ({ $count })
privacy-outreach = 📣 If you came through a poster's link, we count that start for the place (a number per day, never who). To count a consultation that follows, a separate code made with our secret key keeps only the place's code until the end of the next month; /forget erases it. 🔔 An event reminder keeps your encrypted chat number and language until it is sent, cancelled or the event is over.
outreach-qr-usage = Usage: /qr CODE [ru|kk|en]. Codes: { $codes }
outreach-qr-unknown = “{ $code }” is not a code in sources.yml. Codes: { $codes }
outreach-qr-language = “{ $lang }” is not a language of the bot ({ $languages }).
outreach-qr-caption = Poster for { $label } ({ $region }), { $lang }: PNG to print, SVG to edit. Link: { $link }
outreach-qr-draft = ⚠️ A draft (sample) source: the poster is marked as a sample. Delete draft: true in sources.yml before you print it.
outreach-poster-hint = Point your phone's camera at the code
outreach-poster-sample = SAMPLE
staff-sources-title = <b>Sources</b> { $from }…{ $to }: starts / consultations / codes redeemed (small numbers as &lt;5)
staff-sources-line = • { $month } · { $label } ({ $region }): { $starts } / { $consultations } / { $redeemed }
staff-sources-none = No starts through a source's link in { $from }…{ $to }.
staff-sources-usage = { $error }. Usage: /stats sources [2026-11 or 2026-09..2026-11]
staff-sources-export-caption = Sources { $from }…{ $to } (small numbers as <5)
editors-events-title = <b>Invitations</b> (reminders asked for / cancelled; small numbers as &lt;5):
editors-events-line = • { $when } · <code>{ $id }</code> { $title }: { $confirmed } / { $cancelled }, { $waiting } waiting
editors-events-none = No invitation posts (a post with event: in its front matter).
editors-command-qr = Poster for an outreach source: /qr CODE [ru|kk|en]
editors-command-events = Invitations and how many asked for a reminder
