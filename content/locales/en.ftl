# UI texts of the bot, English. Telegram HTML is allowed: <b>, <i>, <a href="…">.
# Keep the same message ids in ru.ftl and kk.ftl.

## Language names (shown on the language buttons, always in their own language)
language-name = English

## Main menu
welcome =
    Hi! This is a safe place to ask about drugs, health and your rights — without judgement.

    🔒 We never see your name or number, and /forget erases everything we hold about you.

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

    Choose a topic. Everything here is written by peers and checked against harm-reduction guidance.
info-section = 📖 <b>{ $section }</b>
info-empty = Safety information is being updated. Please try again later, or write to a consultant.
info-card-missing = This card has been moved or removed. Here are the topics we have now.
info-disclaimer = <i>ℹ️ This is information, not medical advice. If you feel unwell, see a doctor; in an emergency call { $ambulance }.</i>
info-card-footer = Questions about this? A consultant can answer anonymously.
button-talk = 💬 Talk to a consultant
button-back-to-section = ⬅️ { $section }
button-all-topics = 📖 All topics

## Emergency
emergency-fallback =
    🆘 <b>Emergency</b>

    Call an ambulance now: <b>103</b> (or <b>112</b> from any phone).
    If the person does not respond: put them on their side (recovery position), check breathing, and stay with them until help arrives.
    If opioids (tramadol, methadone, heroin) may be involved and you have naloxone, use it.
button-urgent-consult = 💬 Reach a consultant now

## Consultations
consult-soon =
    💬 <b>Talking to a consultant</b>

    Anonymous chats with peer consultants, psychologists, doctors and lawyers through this bot are starting soon.

    Until then: the safety information and the services directory are here for you. In an emergency, call <b>103</b> or <b>112</b>.

## Services
services-regions = 📍 <b>Services and referrals</b>

    Friendly places for testing, treatment, OST, psychologists and lawyers. Choose your city or region:
services-empty = The services directory is being updated. Please write to a consultant to find help near you.
services-sample-note = ⚠️ <i>Sample entry: the organisation has not filled in verified contacts for this place yet.</i>
services-missing = This place is no longer in the directory. Here is the current list.

## Language
language-choose = 🌐 Choose your language:
language-changed = Done, I will speak English now.

## Privacy
privacy =
    🔒 <b>What we keep about you</b>

    • A code made from your Telegram account with our secret key — nobody can turn it back into your account without that key.
    • A random nickname for consultants, such as "Client 4F7K".
    • Your chat number, encrypted, so that the bot can reply to you.
    • Your language, if you chose one.
    • The day you last wrote (the day only, not the time).

    <b>We never keep</b> your name, username, phone number, photo or the text of your messages. Consultants see only the nickname. When you talk to a consultant, your messages are copied to them, never forwarded, so your account stays hidden.

    Conversations with consultants are deleted { $retention ->
        [one] { $retention } day
       *[other] { $retention } days
    } after they end. /forget erases everything at once.
button-forget = 🗑 Erase my data

## Forget
forget-confirm =
    🗑 <b>Erase everything about you?</b>

    This deletes your code, nickname, encrypted chat number and language choice. It cannot be undone. Next time you write, you start as a new person.
forget-yes = Yes, erase everything
forget-no = No, keep it
forget-cancelled = Nothing was erased.
forget-done =
    ✅ <b>Erased.</b> We deleted: { $what }.

    The messages in this chat are still on your phone: to remove them, use "Delete chat" in Telegram (you can also delete it for the bot).
forget-nothing = ✅ We hold nothing about you: there is nothing to erase.
    To remove this chat from your phone, use "Delete chat" in Telegram.
forget-item-client = your code and nickname ({ $pseudonym })
forget-item-chat = your encrypted chat number
forget-item-language = your language choice

## Unexpected input
unknown-command = I don't know that command. Here is what I can do:
unsupported-message = I can't read that kind of message here. Please use the menu:
free-text = I'm a bot and can't answer free text yet. Choose what you need, or press “Talk to a consultant”:
stale-button = This button is out of date. Here is the current menu.
error-generic = Sorry, something went wrong on our side. Please try again. In an emergency call 103 or 112.

## Commands (shown in Telegram's menu; at most 256 characters, no HTML)
command-start = Main menu
command-help = Emergency: overdose or bad reaction
command-info = Safety information
command-services = Services and referrals
command-language = Change language
command-privacy = What we store about you
command-forget = Erase all your data
