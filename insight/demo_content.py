"""The demo's community insight content: a coding matrix drawn from the context documents and
what Brent residents tell Healthwatch, outreach workers and ward surgeries.

The matrix follows the Tower Hamlets Community Insight Repository (a coding matrix of broad
categories along the care pathway, with the service concerned) over the portal's themes. The
comments follow the concerns the Brent, Gateshead and Tower Hamlets papers report: GP access,
damp and mould, temporary accommodation, money worries, isolation, safety on the street.
"""

# Theme slug -> sub-themes of version 1, in order.
SUB_THEMES = {
    "access-to-health": ["GP appointments", "Registering with a GP", "Pharmacy and prescriptions",
                         "Hospital discharge", "Dentists"],
    "housing": ["Damp and mould", "Repairs", "Overcrowding", "Private renting"],
    "homelessness": ["Temporary accommodation", "Eviction notices", "Rough sleeping"],
    "financial-hardship": ["Debt and arrears", "Benefits and Universal Credit", "Energy bills"],
    "community-safety": ["Street lighting", "Anti-social behaviour", "Drug dealing"],
    "air-quality": ["Traffic fumes", "Fly-tipping", "Parks and green spaces"],
    "mental-health": ["Talking therapies waits", "Crisis support",
                      "Young people's mental health"],
    "social-isolation": ["Older people living alone", "Lunch clubs and day centres",
                         "Buses and getting about"],
    "long-term-conditions": ["Diabetes", "Asthma", "Dementia and carers"],
    "school-readiness": ["Speech and language", "Nursery places"],
    "children-young-people": ["Youth clubs", "Special educational needs support"],
    "employment-skills": ["Apprenticeships", "ESOL classes"],
    "digital-inclusion": ["Getting online", "The NHS App"],
    "food-insecurity": ["Food banks", "School meals"],
    "substance-misuse": ["Alcohol", "Drug services"],
    "physical-activity": ["Leisure centres", "Walking and cycling"],
}
SERVICES = ["Church End Medical Centre (GP practice)", "Kilburn Park Medical Centre (GP practice)",
            "Housing repairs", "Adult social care", "Brent Housing Options",
            "Brent Talking Therapies", "Northwick Park Hospital", "Community pharmacies",
            "Street lighting and highways", "Council Tax and benefits", "Health visiting",
            "Brent libraries"]
# Version 2: what an officer changed three months ago, and why.
RENAMED = ("mental-health", "talking-therapies-waits", "Waiting for talking therapies")
ADDED = ("access-to-health", "Phone queues at the surgery", "gp-appointments")  # v1 fallback
V2_NOTES = ("Healthwatch Brent asked us to count phone queues at GP surgeries separately from "
            "getting an appointment; renamed the talking therapies sub-theme to match the "
            "NHS wording.")
V1_NOTES = ("First coding matrix: the portal's themes with sub-themes from the Healthwatch "
            "Brent log and the Tower Hamlets Community Insight Repository's categories.")

IMPORT_SOURCE = "Healthwatch Brent quarterly log"
IMPORT_MAPPING = {"external_id": "Ref", "received_on": "Date received", "text": "Comment",
                  "neighbourhood": "Area", "themes": "Theme", "people_count": "No. of people",
                  "source_detail": "Where heard", "safeguarding": "Safeguarding concern"}

# Places residents name, per neighbourhood ({place} in the comments).
PLACES = {
    "Harlesden": ["Church End", "Stonebridge", "Harlesden High Street", "Roundwood"],
    "Kilburn": ["South Kilburn", "Kilburn High Road", "Queen's Park", "Kilburn Square"],
    "Willesden": ["Willesden Green", "Dollis Hill", "Neasden", "Dudden Hill"],
    "Wembley": ["Wembley Central", "Tokyngton", "Alperton", "Wembley Park"],
    "Kingsbury and Kenton": ["Kingsbury", "Kenton", "Fryent", "Queensbury"],
}
# Where a comment was heard: (FeedbackItem source, details with {neighbourhood}).
CHANNELS = [
    ("healthwatch", IMPORT_SOURCE),
    ("healthwatch", IMPORT_SOURCE),
    ("healthwatch", IMPORT_SOURCE),
    ("outreach", "{neighbourhood} library outreach"),
    ("ward_surgery", "{neighbourhood} ward surgery"),
    ("social_media", "{neighbourhood} residents' group"),
    ("complaint", "Complaint to the council"),
    ("partner_meeting", "{neighbourhood} community hub partners"),
]

# (theme slug, sub-theme key, sentiment, service or "", what was said)
COMMENTS = [
    ("access-to-health", "phone-queues-at-the-surgery", "negative",
     "Church End Medical Centre (GP practice)",
     "Rang the surgery at 8am three days running and was 30th in the queue each time. By the "
     "time I got through there were no appointments left."),
    ("access-to-health", "gp-appointments", "negative", "Kilburn Park Medical Centre (GP practice)",
     "I was offered a GP appointment in three weeks for a chest infection. I ended up at the "
     "walk-in centre instead."),
    ("access-to-health", "gp-appointments", "positive", "Church End Medical Centre (GP practice)",
     "The new online form at my surgery works well, the doctor called me back the same "
     "afternoon."),
    ("access-to-health", "registering-with-a-gp", "negative", "",
     "We moved to {place} in the spring and two practices told us their list is full. My son "
     "still has no GP."),
    ("access-to-health", "registering-with-a-gp", "negative", "",
     "The receptionist asked for proof of address and a passport. I am staying with my sister "
     "and have neither in my name."),
    ("access-to-health", "pharmacy-and-prescriptions", "mixed", "Community pharmacies",
     "The pharmacist on {place} is brilliant, but my repeat prescription is never ready when "
     "the app says it is."),
    ("access-to-health", "hospital-discharge", "negative", "Northwick Park Hospital",
     "Mum was sent home from Northwick Park at 9pm with no care package in place. We had to "
     "take time off work to look after her."),
    ("access-to-health", "dentists", "negative", "",
     "No dentist near {place} is taking NHS patients. I have had toothache for two months."),
    ("housing", "damp-and-mould", "negative", "Housing repairs",
     "Black mould keeps coming back in the children's bedroom. The repairs team painted over it "
     "and it was back in a fortnight."),
    ("housing", "damp-and-mould", "negative", "Housing repairs",
     "My daughter's asthma is worse since the winter. The flat is damp and the windows run "
     "with water every morning."),
    ("housing", "repairs", "negative", "Housing repairs",
     "Reported a broken boiler in November and the engineer has been booked and cancelled "
     "three times."),
    ("housing", "repairs", "positive", "Housing repairs",
     "The repairs team fixed our leaking roof within a week of the ward surgery, thank you."),
    ("housing", "overcrowding", "negative", "Brent Housing Options",
     "Five of us in a one-bedroom flat in {place}. The children do their homework on the "
     "kitchen floor."),
    ("housing", "private-renting", "negative", "",
     "The landlord put the rent up by £200 a month and will not fix the heating. Tenants in "
     "the block are scared to complain."),
    ("homelessness", "temporary-accommodation", "negative", "Brent Housing Options",
     "We were placed in a hostel in Enfield. The journey to my children's school in {place} "
     "takes two hours each way."),
    ("homelessness", "eviction-notices", "negative", "Brent Housing Options",
     "A section 21 notice came last week. I do not know where to start or who can help before "
     "the date."),
    ("homelessness", "rough-sleeping", "neutral", "",
     "More people sleeping in the doorways on {place} since the autumn. Residents want to know "
     "who to tell."),
    ("financial-hardship", "debt-and-arrears", "negative", "Council Tax and benefits",
     "Council tax arrears went to the bailiffs without anyone asking if I could pay in smaller "
     "amounts."),
    ("financial-hardship", "benefits-and-universal-credit", "negative", "",
     "My Universal Credit was stopped when I missed a call I never got. It took six weeks to "
     "sort out."),
    ("financial-hardship", "benefits-and-universal-credit", "positive", "Brent libraries",
     "The benefits check at the library found I was missing pension credit. It has made a "
     "real difference."),
    ("financial-hardship", "energy-bills", "negative", "",
     "We sit in coats in the evening to keep the heating off. The prepayment meter eats money."),
    ("community-safety", "street-lighting", "negative", "Street lighting and highways",
     "Half the street lights on the path behind {place} have been out since October. Women "
     "avoid walking there after dark."),
    ("community-safety", "street-lighting", "positive", "Street lighting and highways",
     "The new lights by the station make the walk home feel much safer."),
    ("community-safety", "anti-social-behaviour", "negative", "",
     "Motorbikes racing round the estate late at night, every night this summer."),
    ("community-safety", "drug-dealing", "negative", "",
     "Dealing in the stairwell of our block in {place}. My children have to walk past it to "
     "get to school."),
    ("air-quality", "traffic-fumes", "negative", "",
     "Coaches idle outside the school gates in {place} on event days. The fumes are awful at "
     "pick-up time."),
    ("air-quality", "fly-tipping", "negative", "",
     "Mattresses and fridges dumped by the bins for weeks. Rats are getting into the bin "
     "store."),
    ("air-quality", "parks-and-green-spaces", "positive", "",
     "The volunteers who tidied the park in {place} have made it a place families want to "
     "go again."),
    ("mental-health", "talking-therapies-waits", "negative", "Brent Talking Therapies",
     "My GP referred me for counselling in January. I am still waiting and was told it could "
     "be another four months."),
    ("mental-health", "crisis-support", "negative", "",
     "When my brother was in crisis the only option was A&E. We waited eleven hours."),
    ("mental-health", "young-peoples-mental-health", "negative", "",
     "Teenagers at my son's school are struggling with anxiety and there is nowhere local for "
     "them to go."),
    ("mental-health", "talking-therapies-waits", "positive", "Brent Talking Therapies",
     "The group sessions at the community centre helped me more than I expected."),
    ("social-isolation", "older-people-living-alone", "negative", "Adult social care",
     "Since my husband died I can go a whole week without speaking to anyone."),
    ("social-isolation", "lunch-clubs-and-day-centres", "positive", "",
     "The lunch club at the temple in {place} is full every week. People want another day."),
    ("social-isolation", "lunch-clubs-and-day-centres", "negative", "Adult social care",
     "The day centre closed and nothing replaced it. My father sits at home all day now."),
    ("social-isolation", "buses-and-getting-about", "negative", "",
     "The bus route change means I cannot get to the shops in {place} with my walker."),
    ("long-term-conditions", "diabetes", "neutral", "",
     "I would go to a diabetes class if it was in Gujarati and in the evening."),
    ("long-term-conditions", "asthma", "negative", "",
     "My son has been to A&E twice this winter with his asthma. The nurse said the damp does "
     "not help."),
    ("long-term-conditions", "dementia-and-carers", "negative", "Adult social care",
     "Caring for my wife with dementia, I have not had a night's sleep in months. I was told "
     "respite has a waiting list."),
    ("long-term-conditions", "dementia-and-carers", "positive", "",
     "The carers' café gives me two hours a fortnight to talk to people who understand."),
    ("school-readiness", "speech-and-language", "negative", "Health visiting",
     "My two-year-old is not talking yet and the speech therapy wait is over a year."),
    ("school-readiness", "nursery-places", "negative", "",
     "No free nursery place near {place} until next September, so I cannot take the job I "
     "was offered."),
    ("children-young-people", "youth-clubs", "negative", "",
     "There is nothing for teenagers to do in {place} after school since the youth club shut."),
    ("children-young-people", "special-educational-needs-support", "negative", "",
     "We waited eighteen months for an education, health and care plan assessment for my "
     "daughter."),
    ("employment-skills", "apprenticeships", "neutral", "",
     "Young people want apprenticeships with the big employers at Wembley Park but do not know "
     "how to apply."),
    ("employment-skills", "esol-classes", "positive", "Brent libraries",
     "The free English classes at the library helped me get my first job here."),
    ("digital-inclusion", "the-nhs-app", "negative", "",
     "I am 82 and my surgery keeps telling me to use the NHS App. I do not have a smartphone."),
    ("digital-inclusion", "getting-online", "positive", "Brent libraries",
     "The digital drop-in at the library showed me how to do my housing bid online."),
    ("food-insecurity", "food-banks", "negative", "",
     "The food bank referrals have doubled since last winter, and most are working families."),
    ("food-insecurity", "school-meals", "neutral", "",
     "Parents asked whether the holiday activities in {place} will include a hot meal again "
     "this summer."),
    ("substance-misuse", "alcohol", "negative", "",
     "Street drinking by the shops on {place} every afternoon. Older residents feel "
     "intimidated."),
    ("substance-misuse", "drug-services", "mixed", "",
     "The outreach worker from the drug service is very good, but there is only one of them "
     "for the whole area."),
    ("physical-activity", "leisure-centres", "negative", "",
     "Swimming at the leisure centre costs too much for a family of five."),
    ("physical-activity", "walking-and-cycling", "positive", "",
     "The walking group from the surgery gets me out twice a week and I have lost a stone."),
]

# Safeguarding concerns as an officer records them: no names, addresses or contact details.
SAFEGUARDING = [
    ("social-isolation", "older-people-living-alone", "negative", "Adult social care",
     "A neighbour says an older man on the estate seems to be going without food and heating, "
     "and his carer has not visited for weeks."),
    ("children-young-people", "youth-clubs", "negative", "",
     "A parent is worried that a teenager in the block is being pressured by older young "
     "people to carry things for them."),
]
# Keywords that put the priorities demo's feedback under a sub-theme too: (words, theme, key).
KEYWORDS = [
    (("gp appointment", "phone queue"), "access-to-health", "gp-appointments"),
    (("register with a gp",), "access-to-health", "registering-with-a-gp"),
    (("mould", "damp"), "housing", "damp-and-mould"),
    (("bailiffs", "arrears", "debt"), "financial-hardship", "debt-and-arrears"),
    (("pension credit", "benefit"), "financial-hardship", "benefits-and-universal-credit"),
    (("temporary accommodation",), "homelessness", "temporary-accommodation"),
    (("section 21", "eviction"), "homelessness", "eviction-notices"),
    (("rough sleepers",), "homelessness", "rough-sleeping"),
    (("talking therapies",), "mental-health", "talking-therapies-waits"),
    (("dementia",), "long-term-conditions", "dementia-and-carers"),
    (("asthma",), "long-term-conditions", "asthma"),
    (("diabetes",), "long-term-conditions", "diabetes"),
    (("drug dealing",), "community-safety", "drug-dealing"),
    (("lunch club", "day centre"), "social-isolation", "lunch-clubs-and-day-centres"),
    (("bus cuts",), "social-isolation", "buses-and-getting-about"),
    (("esol",), "employment-skills", "esol-classes"),
    (("apprenticeships",), "employment-skills", "apprenticeships"),
    (("nhs app",), "digital-inclusion", "the-nhs-app"),
    (("food bank",), "food-insecurity", "food-banks"),
    (("idling coaches", "traffic fumes"), "air-quality", "traffic-fumes"),
]
# Equality answers where a resident gave them (surveys.equality codes), a few combinations.
EQUALITY = [
    {"age": "65_74", "sex": "female", "ethnicity": "asian_indian"},
    {"age": "35_44", "sex": "female", "ethnicity": "black_caribbean", "disability": "no"},
    {"age": "75_plus", "sex": "male", "disability": "yes_lot"},
    {"age": "25_34", "sex": "male", "ethnicity": "white_other"},
    {"age": "45_54", "sex": "female", "ethnicity": "black_african", "disability": "yes_little"},
    {"age": "16_24", "ethnicity": "other_arab"},
]
